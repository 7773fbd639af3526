import ArgumentParser
import Foundation
import VaneGraph
import VaneMPI
import VanePartition
import VaneRelated

/// `vane-mpi`: Vane's work that spreads over the ranks of an Open MPI job.
@main
struct VaneMPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vane-mpi",
        abstract: "Vane on Open MPI: run under mpirun, one process per rank.",
        discussion: """
        Example (2 ranks on this machine):
          mpirun -np 2 vane-mpi index --model models/debian
        Serving stays outside MPI: `vane serve` replicas load the files these commands write. \
        `vane-mpi partition` runs as one process (no mpirun) and writes a partition for later jobs.
        """,
        subcommands: [TrainCommand.self, EvaluateCommand.self, ReplayCommand.self, IndexCommand.self, PartitionCommand.self, ExchangeCommand.self]
    )
}

/// `vane-mpi index`: the top-targets index of a saved model, computed by every rank.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build a model's top-targets index with every rank scoring a shard of the sources.",
        discussion: """
        Every rank loads the model (it needs every target embedding), scores its contiguous shard of \
        the sources against all items, and rank 0 gathers the shards and writes top-targets.bin into \
        the model directory: the same file `vane graph index` writes in one process.

        Example:
          mpirun -np 4 vane-mpi index --model models/debian --index-count 100
        """
    )

    @Option(help: "Model directory written by `vane graph train` (on a file system every rank reads).")
    var model: String

    @Option(name: .customLong("index-count"), help: "Targets kept per item.")
    var indexCount = 100

    func validate() throws {
        guard (1...RelatedItemIndex.maximumCount).contains(indexCount) else {
            throw ValidationError("--index-count must be 1...\(RelatedItemIndex.maximumCount), got \(indexCount)")
        }
    }

    func run() throws {
        let communicator = try Communicator()
        defer { communicator.finalize() }
        let started = Date()
        do {
            let report = try DistributedIndexBuild.run(modelDirectory: model, count: indexCount, communicator: communicator)
            if let report {
                print("wrote \(model)/\(RelatedItemIndex.fileName): top \(report.count) targets of \(report.items) items on \(communicator.size) ranks "
                      + String(format: "(%.1f MB) in %.1f s: rank 0's shard %.1f s, gather %.2f s",
                               Double(report.byteCount) / 1e6, Date().timeIntervalSince(started), report.shardSeconds, report.gatherSeconds))
            }
        } catch let error as RelatedError {
            throw ValidationError("rank \(communicator.rank): --model: \(error.message)")
        } catch let error as MPIError {
            throw ValidationError("rank \(communicator.rank): \(error.message)")
        }
    }
}
