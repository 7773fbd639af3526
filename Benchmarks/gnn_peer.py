"""The PyTorch peer of Vane's dual-embedding GNN training step, on the very batches Vane sampled.

Same model (SPEC.md section 1; DirectedGNN's doc comment): free source/target embeddings (N x d,
normal 0.1), per layer and kind h = act(W [own || mean of sampled neighbours' other-kind states] + b)
(Xavier-uniform W, zero b, ReLU on hidden layers), score = s_u . t_v, weighted BCE summed over the
pairs / positives; SparseAdam on the embeddings (sparse gradients), Adam elsewhere, same learning
rate. Plain torch (no PyG): index_add_ for the neighbour mean. Batches are read from the safetensors
file `GNNEpochBenchmark --export` writes; index conversion happens before the clock starts.
"""
import json
import time

import numpy as np
import torch
import torch.nn.functional as F


def peak_resident_megabytes():
    """This process's peak resident set (VmHWM). Not ru_maxrss, which Linux carries over from the
    parent through fork and execve, so a peer started by a large driver would report the driver's peak."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def read_safetensors(path):
    with open(path, "rb") as handle:
        data = handle.read()
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    kinds = {"F32": np.float32, "I32": np.int32}
    tensors = {}
    for name, spec in header.items():
        start, end = spec["data_offsets"]
        tensors[name] = np.frombuffer(data, dtype=kinds[spec["dtype"]], count=(end - start) // 4,
                                      offset=8 + length + start).reshape(spec["shape"])
    return tensors, metadata


class Batch:
    def __init__(self, tensors, b, layers, kinds, neighbour_kinds, pairs, positives):
        t = lambda name: torch.from_numpy(np.array(tensors[f"{b}.{name}"], dtype=np.int64))
        self.nodes = [[t(f"nodes.{l}.{k}") for k in range(kinds)] for l in range(layers + 1)]
        self.positions, self.segments, self.inverse_counts = [], [], []
        for l in range(layers):
            positions, segments, inverse = [], [], []
            for k in range(kinds):
                offsets = t(f"offsets.{l}.{k}")
                counts = offsets[1:] - offsets[:-1]
                positions.append(t(f"positions.{l}.{k}"))
                segments.append(torch.repeat_interleave(torch.arange(len(counts)), counts))
                inverse.append((1.0 / counts.clamp(min=1).float()).unsqueeze(1))
            self.positions.append(positions)
            self.segments.append(segments)
            self.inverse_counts.append(inverse)
        self.source_rows = {s: t(f"source_rows.{s}") for s, _ in pairs}
        self.target_rows = {u: t(f"target_rows.{u}") for _, u in pairs}
        self.labels = torch.from_numpy(np.array(tensors[f"{b}.labels"]).reshape(-1))
        self.weights = torch.from_numpy(np.array(tensors[f"{b}.weights"]).reshape(-1))
        self.positives = positives


class DualGNN(torch.nn.Module):
    def __init__(self, nodes, dimensions, layers, neighbour_kinds):
        super().__init__()
        self.layers, self.neighbour_kinds = layers, neighbour_kinds
        self.embeddings = torch.nn.ModuleList(torch.nn.Embedding(nodes, d, sparse=True) for d in dimensions)
        for table in self.embeddings:
            torch.nn.init.normal_(table.weight, std=0.1)
        self.linears = torch.nn.ModuleList(
            torch.nn.ModuleList(torch.nn.Linear(2 * d, d) for d in dimensions) for _ in range(layers))
        for layer in self.linears:
            for linear in layer:
                torch.nn.init.xavier_uniform_(linear.weight)
                torch.nn.init.zeros_(linear.bias)

    def forward(self, batch):
        levels = [[table(batch.nodes[0][k]) for k, table in enumerate(self.embeddings)]]
        for l in range(self.layers):
            following = []
            for k, linear in enumerate(self.linears[l]):
                destinations = len(batch.nodes[l + 1][k])
                own = levels[l][k][:destinations]
                neighbours = levels[l][self.neighbour_kinds[k]][batch.positions[l][k]]
                mean = torch.zeros(destinations, own.shape[1]).index_add_(0, batch.segments[l][k], neighbours)
                output = linear(torch.cat([own, mean * batch.inverse_counts[l][k]], dim=1))
                following.append(torch.relu(output) if l < self.layers - 1 else output)
            levels.append(following)
        return levels[-1]


def run(path, repeats=3):
    tensors, metadata = read_safetensors(path)
    layers, kinds = int(metadata["layers"]), int(metadata["kinds"])
    dimensions = [int(d) for d in metadata["dimensions"].split(",")]
    neighbour_kinds = [int(k) for k in metadata["neighbour_kinds"].split(",")]
    pairs = [tuple(map(int, p.split(":"))) for p in metadata["score_pairs"].split(",")]
    positives = [int(p) for p in metadata["positives"].split(",")]
    learning_rate = float(metadata["learning_rate"])
    batches = [Batch(tensors, b, layers, kinds, neighbour_kinds, pairs, positives[b]) for b in range(int(metadata["batches"]))]
    del tensors
    seconds, losses = [], []
    for repeat in range(repeats):
        torch.manual_seed(repeat + 1)
        model = DualGNN(int(metadata["nodes"]), dimensions, layers, neighbour_kinds)
        sparse = torch.optim.SparseAdam(list(model.embeddings.parameters()), lr=learning_rate)
        dense = torch.optim.Adam(list(model.linears.parameters()), lr=learning_rate)
        started, total = time.perf_counter(), 0.0
        for batch in batches:
            top = model(batch)
            logits = sum((top[s][batch.source_rows[s]] * top[u][batch.target_rows[u]]).sum(dim=1) for s, u in pairs)
            loss = F.binary_cross_entropy_with_logits(logits, batch.labels, weight=batch.weights, reduction="sum") / batch.positives
            sparse.zero_grad()
            dense.zero_grad()
            loss.backward()
            sparse.step()
            dense.step()
            total += loss.item()
        seconds.append(time.perf_counter() - started)
        losses.append(total / len(batches))
    return {"step_seconds": seconds, "mean_loss": losses, "positives": sum(positives), "batches": len(batches),
            "peak_rss_mb": peak_resident_megabytes(), "threads": torch.get_num_threads()}


if __name__ == "__main__":
    import sys
    print(json.dumps(run(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3)))
