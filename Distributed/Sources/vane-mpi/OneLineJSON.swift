import Foundation

/// Prints `value` as one line of JSON with sorted keys, the shape every `vane-mpi ... --json` prints;
/// a non-finite number is written as the string "inf", "-inf" or "nan" instead of failing the run.
func printOneLineJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
