import Hummingbird
import Foundation
import VaneConversions
import VaneDecisions
import VaneGraph
import VaneIO
import VaneLinear
import VaneRelated
import VaneTabular
import VaneTensor
@testable import VaneServing

/// Small hand-made models whose answers can be checked by hand.
enum ServingFixtures {
    /// Items a..e; a -> b, a -> c known. Score(a -> x) = 1 x t_x[0]: b 0.5, c 1, d 2, e 1.5.
    static func relatedModel(scale: Float = 1) -> RelatedItemModel {
        let names = ["a", "b", "c", "d", "e"]
        let graph = DirectedGraph(nodeNames: names, edges: [.init(source: 0, target: 1), .init(source: 0, target: 2), .init(source: 1, target: 2)])
        let source = Matrix([[1, 0], [1, 0], [1, 0], [1, 0], [1, 0]])
        let target = Matrix([[0, 0], [0.5 * scale, 0], [1 * scale, 0], [2 * scale, 0], [1.5 * scale, 0]])
        return RelatedItemModel(method: "vane", graph: graph, sourceEmbeddings: source, targetEmbeddings: target)
    }

    /// Features: price (numeric), device and item (categorical). Logit = 0.8 x standardised price
    /// + 1 for device=mobile, bias -1; precisions 100 everywhere except item buckets (1, rarely seen).
    static func conversionModel() throws -> ConversionModel {
        let text = "price,device,item,label\n10,mobile,i1,1\n20,desktop,i2,0\n30,mobile,i1,1\n"
        let table = try CSVTableLoader().load(TextFile(path: "fixture.csv", text: text))
        let encoder = TableFeatureEncoder(table: table, excluding: ["label"], rows: [0, 1, 2], hashBuckets: 4096)
        var coefficients = [Float](repeating: 0, count: encoder.columnCount)
        coefficients[0] = 0.8
        let mobile = try encoder.encode(record: ["device": .text("mobile")], source: "fixture").columns
        coefficients[Int(mobile[1])] = 1  // columns: price missing, device bucket, item bucket
        var precisions = [Double](repeating: 100, count: encoder.columnCount)
        for column in 2..<encoder.columnCount where column != Int(mobile[1]) { precisions[column] = 1 }
        return ConversionModel(method: .engagement, encoder: encoder, model: FittedLogisticRegression(coefficients: coefficients, bias: -1, l2: 1e-4),
                               coefficientPrecisions: precisions, biasPrecision: 100)
    }

    /// A MIST policy fitted on synthetic (score, uncertainty, label) rows.
    static func policy() throws -> ThresholdPolicy {
        var generator = SeededGenerator(seed: 3)
        var scores: [Double] = [], uncertainties: [Double] = [], labels: [Bool] = []
        for _ in 0..<4000 {
            let score = generator.nextUnitDouble(), uncertainty = generator.nextUnitDouble()
            scores.append(score); uncertainties.append(uncertainty)
            labels.append(generator.nextUnitDouble() < score * (1 - 0.5 * uncertainty))
        }
        return try ThresholdPolicyFitter(targetPrecision: 0.7).fit(.mist, on: ScoredExamples(scores: scores, uncertainties: uncertainties, labels: labels))
    }

    /// The routes over `store`, as an application the HTTP test client can drive.
    static func application(store: ModelStore, metrics: ServingMetrics = ServingMetrics(),
                            configuration: ServingConfiguration = .init()) -> some ApplicationProtocol {
        Application(router: ServingRoutes.router(store: store, metrics: metrics, configuration: configuration))
    }

    static func store(policy: Bool = true) throws -> ModelStore {
        ModelStore(models: ServingModels(related: relatedModel(), conversion: try conversionModel(), policy: policy ? try self.policy() : nil, version: 1))
    }

    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vane-serving-\(UUID().uuidString)").path
    }
}
