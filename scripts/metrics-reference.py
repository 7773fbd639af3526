#!/usr/bin/env python3
"""Prints the scikit-learn reference values kept as literals in Tests/VaneMetricsTests.

Run: python3 scripts/metrics-reference.py  (scikit-learn 1.9.1 produced the committed values)
Scores are rounded to one decimal so the input has ties, which is where implementations differ.
"""
import numpy as np
from sklearn.metrics import average_precision_score, log_loss, precision_recall_curve, roc_auc_score

rng = np.random.default_rng(2026)
n = 40
scores = np.round(rng.random(n), 1)
labels = (rng.random(n) < 0.2 + 0.6 * scores).astype(int)
probabilities = np.round(np.clip(rng.random(n), 0.02, 0.98), 3)
weights = np.round(rng.random(n) * 2, 2)

def swift(name, values, fmt):
    print(f"let {name} = [" + ", ".join(fmt(v) for v in values) + "]")

swift("scores: [Double]", scores, lambda v: f"{v:.1f}")
swift("labels: [Bool]", labels, lambda v: "true" if v else "false")
swift("probabilities: [Double]", probabilities, lambda v: f"{v:.3f}")
swift("weights: [Double]", weights, lambda v: f"{v:.2f}")
print(f"let expectedAUC = {roc_auc_score(labels, scores):.12f}")
print(f"let expectedAveragePrecision = {average_precision_score(labels, scores):.12f}")
print(f"let expectedLogLoss = {log_loss(labels, probabilities):.12f}")
print(f"let expectedWeightedLogLoss = {log_loss(labels, probabilities, sample_weight=weights):.12f}")
precision, recall, _ = precision_recall_curve(labels, scores)
for target in (0.7, 0.85):
    print(f"let expectedRecallAtPrecision{int(round(target * 100))} = {recall[precision >= target].max():.12f}")
