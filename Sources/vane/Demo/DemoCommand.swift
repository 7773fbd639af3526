import ArgumentParser
import Foundation
import VanePipeline

/// `vane demo`: the whole chain on the real data, no arguments needed.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole chain on ../shared/data and write an HTML report.",
        discussion: """
        1. trains the related-items model on the Amazon co-purchase graph (Cora-ML with --quick) and
           evaluates it against popularity and P3 on held-out edges; examples show product titles;
        2. simulates clicks on its recommendations with delayed conversions and engagement, and replays
           them hour by hour with vanilla, oracle, ES-DFM and engagement-aware training;
        3. fits per-uncertainty thresholds on a validation window and tests them on a later window;
        4. writes report.html (self-contained) and the model files into --out.
        """
    )

    @Option(help: "Output directory.")
    var out = "vane-demo"

    @Option(help: "Directory with the shared data sets.")
    var data = "../shared/data"

    @Flag(help: "Small and fast: Cora-ML and fewer clicks (under 2 minutes).")
    var quick = false

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    func run() throws {
        try OutputLocation.directory(out, option: "--out")
        let started = Date()
        var configuration = DemoChain.Configuration()
        configuration.quick = quick
        configuration.dataDirectory = data
        configuration.outputDirectory = out
        configuration.seed = seed
        let outcome = try DemoChain(configuration: configuration).run { stage in
            FileHandle.standardError.write(Data(String(format: "[%6.1fs] %@\n", Date().timeIntervalSince(started), stage).utf8))
        }
        let seconds = Date().timeIntervalSince(started)
        let path = (out as NSString).appendingPathComponent("report.html")
        try DemoReport.html(outcome, totalSeconds: seconds).write(toFile: path, atomically: true, encoding: .utf8)
        print("report: \(path)")
        print("related-items model: \(outcome.modelDirectory)  (try: vane graph recommend --model \(outcome.modelDirectory) --item \(outcome.examples.first?.item ?? "ITEM"))")
        print("conversion model: \(outcome.conversionModelDirectory); decision policy: \(outcome.policyPath)")
        print("serve them: vane serve --related \(outcome.modelDirectory) --conversions \(outcome.conversionModelDirectory) --policy \(outcome.policyPath)")
        print(String(format: "total %.1f s", seconds))
    }
}
