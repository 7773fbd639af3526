import Foundation
import Testing
import VaneIO
import VaneTabular

@Suite("CSV tables")
struct TableTests {
    let loader = CSVTableLoader()

    @Test func infersColumnKinds() throws {
        let table = try loader.load(TextFile(path: "t.csv", text: "age, city,income\n30,Oslo,>50K\n?,\"Rio, BR\",<=50K\n41,Oslo,>50K\n"))
        #expect(table.rowCount == 3)
        #expect(table.columnNames == ["age", "city", "income"])
        guard case .numeric(let ages) = table.columns[0] else { Issue.record("age should be numeric"); return }
        #expect(ages[0] == 30 && ages[1].isNaN)
        #expect(table.columns[1] == .categorical(codes: [0, 1, 0], levels: ["Oslo", "Rio, BR"]))
        #expect(try table.binaryLabels(column: "income", positive: ">50K") == [true, false, true])
        #expect(table.selectingRows([2, 0]).columns[1] == .categorical(codes: [0, 0], levels: ["Oslo", "Rio, BR"]))
    }

    @Test func anyValueLabelMarksNonEmptyCells() throws {
        let table = try loader.load(TextFile(path: "t.csv", text: "conversion_time,cart\n3.5,\n,a\n7,b\n"))
        #expect(try table.binaryLabels(column: "conversion_time", positive: Table.anyValue) == [true, false, true])
        #expect(try table.binaryLabels(column: "cart", positive: "*") == [false, true, true])
    }

    @Test func missingColumnListsColumns() throws {
        let table = try loader.load(TextFile(path: "t.csv", text: "a,b\n1,2\n"))
        #expect {
            _ = try table.binaryLabels(column: "label", positive: "1")
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.code == .missingColumn && error.message.contains("columns are: a, b")
        }
    }

    @Test func nonBinaryLabelRejected() throws {
        let table = try loader.load(TextFile(path: "t.csv", text: "y\nred\ngreen\nblue\n"))
        #expect {
            _ = try table.binaryLabels(column: "y", positive: "red")
        } throws: { error in
            (error as? InputError)?.code == .invalidValue && "\(error)".contains("not binary")
        }
        let numeric = try loader.load(TextFile(path: "t.csv", text: "y\n0\n1\n2\n"))
        #expect(throws: InputError.self) { _ = try numeric.binaryLabels(column: "y", positive: "1") }
    }

    @Test func explicitNaNNamedWithLine() {
        #expect {
            _ = try loader.load(TextFile(path: "t.csv", text: "x,y\n1,2\n3,NaN\n"))
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.code == .invalidNumber && error.line == 3 && error.message.contains("\"y\"")
        }
    }

    @Test func wrongFieldCountNamedWithLine() {
        #expect {
            _ = try loader.load(TextFile(path: "t.csv", text: "x,y\n1,2\n3\n"))
        } throws: { error in
            (error as? InputError)?.line == 3 && (error as? InputError)?.code == .malformedLine
        }
        #expect(throws: InputError.self) { _ = try loader.load(TextFile(path: "t.csv", text: "x,y\n")) }
    }

    static let adultPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/adult.csv.gz").path

    @Test(.enabled(if: FileManager.default.fileExists(atPath: adultPath), "needs ../shared/data/adult.csv.gz"))
    func loadsAdult() throws {
        let path = Self.adultPath
        let table = try loader.load(path: path)
        #expect(table.rowCount == 48_842)
        #expect(table.columnNames.count == 15)
        let labels = try table.binaryLabels(column: "income", positive: ">50K")
        let rate = Double(labels.filter { $0 }.count) / Double(labels.count)
        #expect(abs(rate - 0.239) < 0.01)
    }
}
