"""The PyTorch peer of Vane's delayed-feedback replay, on the very stream Vane built.

Same work as `StreamReplay.replay` for one method (ES-DFM by default): for each hourly step, score
the step's clicks with the current model and add the step's size-weighted AUC, PR-AUC (average
precision) and log loss; then train on the step's n samples in ceil(n / 256) mini-batches of equal
size (within one, as `StreamReplay.batches` cuts them), one Adam step per batch on mean_i w_i BCE(w . x_i + b, y_i) + (l2 / 2) ||w_touched||^2. The model is logistic
regression over the hashed sparse features: an EmbeddingBag(mode="sum", sparse=True) with the
feature values as per-sample weights, so gradients are sparse and SparseAdam (lazy, like Vane's)
updates only touched coefficients. Both start from the same pretrained coefficients (exported by
`ReplayBenchmark --export`); the peer's Adam moments start at zero (Vane's carry over from
pretraining), so losses differ slightly. Usage: replay_peer.py STREAM.safetensors REPEATS
"""
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from gnn_peer import peak_resident_megabytes, read_safetensors


def auc(scores, labels):
    """ROC AUC by average ranks (ties share their rank); None when one class is absent."""
    positives = labels.sum()
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return None
    order = np.argsort(scores, kind="stable")
    sorted_scores = scores[order]
    ranks = np.empty(len(scores))
    starts = np.r_[0, np.nonzero(np.diff(sorted_scores))[0] + 1]
    ends = np.r_[starts[1:], len(scores)]
    average = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(average, ends - starts)
    return (ranks[labels == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives)


def average_precision(scores, labels):
    order = np.argsort(-scores, kind="stable")
    y = labels[order]
    tp = np.cumsum(y)
    precision = tp / np.arange(1, len(y) + 1)
    return (precision * y).sum() / max(1, y.sum())


def log_loss(p, labels):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(-(labels * np.log(p) + (1 - labels) * np.log(1 - p)).mean())


def main():
    tensors, metadata = read_safetensors(sys.argv[1])
    repeats = int(sys.argv[2])
    torch.set_num_threads(torch.get_num_threads())
    row_offsets = tensors["row_offsets"].astype(np.int64)
    columns = tensors["columns"].astype(np.int64)
    values = tensors["values"].reshape(-1).copy()
    truth = tensors["truth"].astype(np.float64)
    scored, scored_offsets = tensors["scored"].astype(np.int64), tensors["scored_offsets"]
    rows, sample_offsets = tensors["rows"].astype(np.int64), tensors["sample_offsets"]
    labels, weights = tensors["labels"].reshape(-1).copy(), tensors["weights"].reshape(-1).copy()
    batch_size, learning_rate, l2 = int(metadata["batch_size"]), float(metadata["learning_rate"]), float(metadata["l2"])
    start_coefficients = torch.from_numpy(tensors["coefficients"].reshape(-1, 1).copy())
    start_bias = float(tensors["bias"].reshape(-1)[0])

    def bag(selected):
        """EmbeddingBag inputs for the given click rows: flat column ids, per-sample values, offsets."""
        starts = row_offsets[selected]
        lengths = row_offsets[selected + 1] - starts
        bag_offsets = np.r_[0, np.cumsum(lengths)[:-1]]
        flat = np.repeat(starts - bag_offsets, lengths) + np.arange(lengths.sum())
        return torch.from_numpy(columns[flat]), torch.from_numpy(values[flat]), torch.from_numpy(bag_offsets)

    seconds, result = [], None
    for _ in range(repeats):
        embedding = torch.nn.EmbeddingBag(len(start_coefficients), 1, mode="sum", sparse=True)
        with torch.no_grad():
            embedding.weight.copy_(start_coefficients)
        bias = torch.nn.Parameter(torch.tensor([start_bias]))
        sparse_optimizer = torch.optim.SparseAdam(list(embedding.parameters()), lr=learning_rate)
        dense_optimizer = torch.optim.Adam([bias], lr=learning_rate)
        sums = {"auc": 0.0, "pr": 0.0, "nll": 0.0, "auc_weight": 0.0, "nll_weight": 0.0}
        started = time.perf_counter()
        for step in range(len(scored_offsets) - 1):
            clicks = scored[scored_offsets[step]:scored_offsets[step + 1]]
            if len(clicks):
                with torch.no_grad():
                    ids, per_sample, offsets = bag(clicks)
                    p = torch.sigmoid(embedding(ids, offsets, per_sample_weights=per_sample).view(-1) + bias).numpy().astype(np.float64)
                y = truth[clicks]
                a = auc(p, y)
                if a is not None:
                    sums["auc"] += a * len(clicks)
                    sums["pr"] += average_precision(p, y) * len(clicks)
                    sums["auc_weight"] += len(clicks)
                sums["nll"] += log_loss(p, y) * len(clicks)
                sums["nll_weight"] += len(clicks)
            begin, end = sample_offsets[step], sample_offsets[step + 1]
            count = end - begin
            parts = -(-count // batch_size)
            for b in range(parts):
                batch = slice(begin + count * b // parts, begin + count * (b + 1) // parts)
                ids, per_sample, offsets = bag(rows[batch])
                logits = embedding(ids, offsets, per_sample_weights=per_sample).view(-1) + bias
                loss = (torch.from_numpy(weights[batch]) * F.binary_cross_entropy_with_logits(
                    logits, torch.from_numpy(labels[batch]), reduction="none")).mean()
                touched = torch.unique(ids)
                loss = loss + 0.5 * l2 * F.embedding(touched, embedding.weight, sparse=True).pow(2).sum()
                sparse_optimizer.zero_grad()
                dense_optimizer.zero_grad()
                loss.backward()
                sparse_optimizer.step()
                dense_optimizer.step()
        seconds.append(time.perf_counter() - started)
        result = {"auc": sums["auc"] / sums["auc_weight"], "nll": sums["nll"] / sums["nll_weight"]}
    peak = peak_resident_megabytes()
    print(json.dumps({"seconds": seconds, "auc": result["auc"], "nll": result["nll"], "peak_rss_mb": peak,
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
