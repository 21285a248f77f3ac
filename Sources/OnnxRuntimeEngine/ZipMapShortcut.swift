/// Builds a ZipMap's output in Swift from the tensor the ZipMap reads (see ``OnnxZipMapRewrite``): one map per row,
/// from each class label to that row's value in the label's column, exactly as ORT's `ZipMap` kernel builds them.
///
/// ORT fills a `std::map` per row with `map[label] = value` in column order, so the map's keys come out in
/// ascending order (strings by their bytes), and a label given twice keeps its last column. The shortcut sorts the
/// labels once, at load, and remembers each key's column; a row is then one pass over the tensor's memory.
///
/// A class, not a struct: a run takes the model's shortcut for each output it reads, and a reference is one retain
/// where the struct's copy retained each of its arrays and strings.
package final class ZipMapShortcut: Sendable {
    /// A ZipMap's class labels: `classlabels_int64s` or `classlabels_strings` (raw bytes, as the file holds them).
    package enum Labels: Sendable, Equatable {
        case int64s([Int64])
        case strings([[UInt8]])
    }

    /// The ZipMap's input: the session output, added by the rewrite, that a run fetches instead.
    let input: String
    /// The map keys, ascending, shape `[keys]`: shared by every row's map.
    let keys: Tensor
    /// For each key, the input column its value comes from.
    let columns: [Int]
    /// How many labels the node has: the width every input row must have.
    let labelCount: Int

    /// The shortcut for a ZipMap with these labels that reads the tensor named `input`.
    init(labels: Labels, input: String) {
        self.input = input
        switch labels {
        case .int64s(let labels):
            labelCount = labels.count
            let order = Self.lastColumns(labels.indices.map { (labels[$0], $0) }, by: <)
            keys = Tensor(shape: [order.count], elements: .int64(order.map(\.key)))
            columns = order.map(\.column)
        case .strings(let labels):
            labelCount = labels.count
            let order = Self.lastColumns(labels.indices.map { (labels[$0], $0) }) {
                $0.lexicographicallyPrecedes($1)
            }
            keys = Tensor(
                shape: [order.count],
                elements: .string(order.map { String(decoding: $0.key, as: UTF8.self) }))
            columns = order.map(\.column)
        }
    }

    /// The labels in ascending order, each with the last column that carries it.
    private static func lastColumns<Key: Equatable>(
        _ labels: [(Key, Int)], by ascending: (Key, Key) -> Bool
    ) -> [(key: Key, column: Int)] {
        // Equal labels stay in column order, so the last of a run is the column that wins.
        let sorted = labels.sorted { lhs, rhs in
            ascending(lhs.0, rhs.0) || (!ascending(rhs.0, lhs.0) && lhs.1 < rhs.1)
        }
        var result: [(key: Key, column: Int)] = []
        result.reserveCapacity(sorted.count)
        for (key, column) in sorted {
            if let last = result.last, last.key == key { result[result.count - 1].column = column } else {
                result.append((key, column))
            }
        }
        return result
    }

    /// The ZipMap's output for an input tensor in ORT's memory: a sequence with one map per row.
    /// - Parameters:
    ///   - data: The tensor's `float` elements (`nil` when it has none).
    ///   - shape: Its dimensions: `[columns]` (one row) or `[rows, columns]`.
    /// - Returns: The sequence, or ORT's own message for a tensor ZipMap refuses.
    func value(data: UnsafePointer<Float>?, shape: [Int]) -> Result<OnnxValue, OnnxRuntimeStatus> {
        guard shape.count == 1 || shape.count == 2 else {
            let message = shape.isEmpty ? "Zipmap does not support empty dim count" : "Zipmap only supports 1D or 2D input tensors"
            return .failure(OnnxRuntimeStatus(code: .invalidArgument, message: message))
        }
        let rows = shape.count == 2 ? shape[0] : 1
        let width = shape[shape.count - 1]
        guard width == labelCount else {
            return .failure(OnnxRuntimeStatus(
                code: .invalidArgument,
                message: "Input features_per_batch[\(width)] != number of classlabels[\(labelCount)]"))
        }
        var maps: [OnnxValue] = []
        maps.reserveCapacity(rows)
        // Each row is gathered on the stack and copied into its array with `Array(UnsafeBufferPointer)`, which is
        // about twice as fast for a short row as `init(unsafeUninitializedCapacity:)` (that one looks the storage's
        // generic metadata up in the runtime on every call).
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, columns.count)) { row in
            let row = UnsafeMutableBufferPointer(rebasing: row[0..<columns.count])
            for index in 0..<rows {
                if let data {
                    let start = data + index * width
                    for (position, column) in columns.enumerated() { row[position] = start[column] }
                } else {
                    row.initialize(repeating: 0)
                }
                let values = Array(UnsafeBufferPointer(row))
                maps.append(.map(keys: keys, values: Tensor(shape: keys.shape, elements: .float(values))))
            }
        }
        return .success(.sequence(maps))
    }
}
