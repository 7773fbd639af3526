"""What scripts/related-results.py and scripts/direction-results.py share: reading a folder of
`vane graph evaluate --seeds ... --json` outputs with its commands.txt, and one mean ± sd cell."""
import glob
import json
import os


def load(directory):
    """The non-empty JSON outputs in `directory` (sorted by file name) and commands.txt as
    {graph name: command}, each line `name command...`."""
    results = []
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        with open(path) as handle:
            text = handle.read().strip()
        if text:
            results.append(json.loads(text))
    commands = {}
    commands_path = os.path.join(directory, "commands.txt")
    if os.path.exists(commands_path):
        for line in open(commands_path):
            name, _, command = line.strip().partition(" ")
            commands[name] = command
    return results, commands


def cell(summary, digits=3):
    """mean ± sd of a {mean, standardDeviation, values} summary; the mean alone for one seed; - for none."""
    if not summary:
        return "-"
    if len(summary["values"]) == 1:
        return f"{summary['mean']:.{digits}f}"
    return f"{summary['mean']:.{digits}f} ± {summary['standardDeviation']:.{digits}f}"
