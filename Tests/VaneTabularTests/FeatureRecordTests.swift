import Foundation
import Testing
import VaneIO
@testable import VaneTabular

@Suite("Feature records")
struct FeatureRecordTests {
    let table: Table
    let encoder: TableFeatureEncoder

    init() throws {
        table = try CSVTableLoader().load(TextFile(path: "t.csv", text: "age,city,code,label\n30,paris,7,1\n50,oslo,3,0\n,paris,,1\n"))
        encoder = TableFeatureEncoder(table: table, excluding: ["label"], rows: [0, 1, 2], hashBuckets: 32)
    }

    @Test func recordEncodesLikeItsTableRow() throws {
        let rows = try encoder.encode(table, rows: [0, 1, 2])
        let records: [[String: FeatureValue]] = [
            ["age": .number(30), "city": .text("paris"), "code": .number(7)],
            ["age": .text("50"), "city": .text("oslo"), "code": .number(3)],
            ["city": .text("paris")],  // age and code missing
        ]
        for (row, record) in records.enumerated() {
            let (columns, values) = try encoder.encode(record: record, source: "request")
            let range = rows.rowOffsets[row]..<rows.rowOffsets[row + 1]
            #expect(columns == Array(rows.columnIndices[range]))
            #expect(values == Array(rows.values[range]))
        }
    }

    @Test func constantColumnsAreLeftOutButAccepted() throws {
        // An always-missing number and a one-level category are constant: each would be one more
        // intercept under Adam. They are left out; a record naming them is still accepted.
        let constant = try CSVTableLoader().load(TextFile(path: "c.csv", text: "age,empty,site,city,label\n30,,a,paris,1\n50,,a,oslo,0\n,,a,paris,1\n"))
        let encoder = TableFeatureEncoder(table: constant, excluding: ["label"], rows: [0, 1, 2], hashBuckets: 32)
        #expect(encoder.featureColumns == ["age", "city"] && encoder.constantColumns == ["empty", "site"])
        #expect(encoder.columnCount == 2 + 32)
        let (columns, _) = try encoder.encode(record: ["age": .number(40), "empty": .missing, "site": .text("a"), "city": .text("oslo")], source: "r")
        #expect(columns.count == 2)
        // A model file from before this field decodes with none left out.
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(encoder)) as! [String: Any]
        json["constantColumns"] = nil
        let old = try JSONDecoder().decode(TableFeatureEncoder.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.constantColumns.isEmpty && old.featureColumns == encoder.featureColumns)
    }

    @Test func badRecordsNamed() {
        #expect { _ = try encoder.encode(record: ["agee": .number(1)], source: "rows[3]") } throws: {
            let error = $0 as? InputError
            return error?.code == .missingColumn && error?.description.contains("rows[3]") == true && error?.description.contains("agee") == true
        }
        #expect { _ = try encoder.encode(record: ["age": .number(.nan)], source: "r") } throws: { ($0 as? InputError)?.code == .invalidNumber }
        #expect { _ = try encoder.encode(record: ["age": .text("old")], source: "r") } throws: { ($0 as? InputError)?.code == .invalidNumber }
    }

    @Test func encoderRoundTripsThroughJSON() throws {
        let decoded = try JSONDecoder().decode(TableFeatureEncoder.self, from: JSONEncoder().encode(encoder))
        #expect(decoded == encoder)
    }
}
