import Foundation
import Testing
import VaneIO
import VaneLinear
import VaneTabular
@testable import VaneConversions

/// Click logs and conversion model files a hostile or careless user could hand over.
@Suite("Click log and conversion model hardening")
struct ClickLogHardeningTests {
    func vaneLog(_ text: String) throws -> ClickLog {
        try ClickLog.fromTable(CSVTableLoader().load(TextFile(path: "log.csv", text: text)), hashBuckets: 64)
    }

    func criteoRow(_ click: String, _ conversion: String) -> String {
        ([click, conversion] + (1...8).map { String($0) } + (1...9).map { "c\($0)" }).joined(separator: "\t")
    }

    @Test func absurdClickTimesAreRefusedWithTheirLine() throws {
        for bad in ["+infinity", "1e309", "1e300", "1e12", "5e7", "-nan"] {
            let text = "click_time,conversion_time,x\n0,1,a\n2,,b\n\(bad),,c\n"
            let started = Date()
            #expect(throws: InputError.self, "\(bad)") { _ = try vaneLog(text) }
            do { _ = try vaneLog(text) } catch let error as InputError { #expect(error.line == 4, "\(bad): \(error)") }
            #expect(Date().timeIntervalSince(started) < 5, "refusing \(bad) must not cost time proportional to the span")
        }
        // Criteo timestamps are seconds: 1e15 s is 2.8e11 hours.
        let text = [criteoRow("3600", "7200"), criteoRow("1e15", "")].joined(separator: "\n")
        #expect { _ = try ClickLog.fromTable(ClickLog.criteoTable(TextFile(path: "data.txt", text: text)), hashBuckets: 64, timeScale: 1.0 / 3600) }
            throws: { ($0 as? InputError)?.line == 2 }
    }

    @Test func nonFiniteCriteoFieldsAreRefused() {
        for bad in ["+infinity", "1e309", "-nan"] {
            #expect { _ = try ClickLog.criteoTable(TextFile(path: "data.txt", text: criteoRow(bad, ""))) }
                throws: { ($0 as? InputError)?.code == .invalidNumber && ($0 as? InputError)?.line == 1 }
        }
    }

    @Test func aLogWithoutConversionsIsRefused() {
        let text = [criteoRow("3600", ""), criteoRow("7200", "")].joined(separator: "\n")
        #expect { _ = try ClickLog.fromTable(ClickLog.criteoTable(TextFile(path: "data.txt", text: text)), hashBuckets: 64, timeScale: 1.0 / 3600) }
            throws: { ($0 as? InputError)?.code == .emptyInput }
    }

    @Test func aViewCountWithoutTimesIsRefusedAsLookAhead() {
        #expect { _ = try vaneLog("click_time,conversion_time,views\n0,1,2\n1,,5\n") }
            throws: { ($0 as? InputError)?.code == .invalidValue && "\($0)".contains("view_times") }
    }

    @Test func badEngagementTimesNameTheColumnAndLine() {
        // Before its click, not a number, infinite, far outside the log's span.
        for (cell, code) in [("0.5", InputErrorCode.invalidValue), ("2;x", .invalidNumber), ("2;inf", .invalidNumber), ("2;1e9", .invalidValue)] {
            #expect { _ = try vaneLog("click_time,conversion_time,view_times\n0,1,\n1,,\(cell)\n") }
                throws: { ($0 as? InputError)?.code == code && ($0 as? InputError)?.line == 3 && "\($0)".contains("view_times") }
        }
        #expect { _ = try vaneLog("click_time,conversion_time,cart_times\n0,1,\n3,,2.5\n") }
            throws: { ($0 as? InputError)?.line == 3 && "\($0)".contains("cart_times") }
    }

    @Test func engagementTimesAreReadSortedPerClick() throws {
        let log = try vaneLog("click_time,conversion_time,view_times,cart_times,favourite_times,cart_time,x\n"
                              + "0,1,0.75;0.25,,NA,0.5,a\n1,,,4,,,b\n2,,3.5,,2.5,,a\n")
        #expect(log.engagement.count == 6)
        #expect(log.engagement.events(of: 0).map { log.engagement.times[$0] } == [0.25, 0.5, 0.75])
        #expect(log.engagement.events(of: 0).map { log.engagement.kinds[$0] } == [.view, .cart, .view])
        #expect(log.engagement.counts(of: 0, by: 0.6) == .init(views: 1, carts: 1, favourites: 0))
        #expect(log.engagement.counts(of: 1, by: 3.9) == .init())
        #expect(log.engagement.counts(of: 2, by: 10) == .init(views: 1, carts: 0, favourites: 1))
        // Engagement columns are not features.
        #expect(log.encoder?.featureColumns == ["x"])
    }

    /// A one-feature model saved to a directory, so its JSON can be edited by hand.
    func savedModel() throws -> String {
        let table = try CSVTableLoader().load(TextFile(path: "f.csv", text: "price,device\n10,m\n20,d\n"))
        let encoder = TableFeatureEncoder(table: table, excluding: [], rows: [0, 1], hashBuckets: 16)
        let model = ConversionModel(method: .fnw, encoder: encoder,
                                    model: FittedLogisticRegression(coefficients: [Float](repeating: 0.1, count: encoder.columnCount), bias: 0, l2: 1e-4),
                                    coefficientPrecisions: [Double](repeating: 1, count: encoder.columnCount), biasPrecision: 1)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vane-conv-hard-\(UUID().uuidString)").path
        try model.save(to: directory)
        return directory
    }

    func editJSON(_ directory: String, _ edit: (inout [String: Any]) -> Void) throws {
        let url = URL(fileURLWithPath: directory).appendingPathComponent("conversion.json")
        var object = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        edit(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }

    @Test func handEditedModelFilesAreRefused() throws {
        let edits: [(String, (inout [String: Any]) -> Void)] = [
            ("hashBuckets", { var e = $0["encoder"] as! [String: Any]; e["hashBuckets"] = 0; $0["encoder"] = e }),
            ("hashBuckets", { var e = $0["encoder"] as! [String: Any]; e["hashBuckets"] = -3; $0["encoder"] = e }),
            ("deviation", { var e = $0["encoder"] as! [String: Any]
                            e["numericStatistics"] = ["price": ["mean": 15.0, "deviation": 0.0]]; $0["encoder"] = e }),
            ("featureColumns", { var e = $0["encoder"] as! [String: Any]; e["featureColumns"] = ["price", "price"]; $0["encoder"] = e }),
            ("l2", { $0["l2"] = -1 }),
        ]
        for (field, edit) in edits {
            let directory = try savedModel()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            #expect(throws: Never.self) { _ = try ConversionModel.load(from: directory) }
            try editJSON(directory, edit)
            #expect {
                _ = try ConversionModel.load(from: directory)
            } throws: { error in
                (error as? ConversionError)?.code == .modelFile && "\(error)".contains(field) && "\(error)".contains("conversion.json")
            }
        }
    }

    @Test func valuesFarOutsideTrainingAreRefusedNotNaN() throws {
        let directory = try savedModel()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try ConversionModel.load(from: directory)
        #expect(throws: Never.self) { _ = try model.predict(record: ["price": .number(1e6)], source: "row") }
        for value in [1e40, -1e300] {
            #expect { _ = try model.predict(record: ["price": .number(value)], source: "rows[0].features") }
                throws: { ($0 as? InputError)?.file == "rows[0].features" && "\($0)".contains("price") }
        }
    }
}
