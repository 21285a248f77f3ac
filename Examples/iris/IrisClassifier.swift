import OnnxRuntimeEngine

/// Classifies any number of rows with a model whose input has a fixed batch: rows are cut into batches of the
/// model's size, the last batch padded with copies of its last row, and only the given rows' results kept.
struct IrisClassifier {
    /// The engine, loaded and leased by the caller.
    let engine: OnnxRuntimeEngine

    /// Classifies the rows.
    /// - Parameter rows: The rows; each must have as many features as the model's input has columns.
    /// - Returns: One prediction per row, in order.
    /// - Throws: ``IrisError`` when the model is not a two-dimensional float classifier or a row has the wrong
    ///   width; what ``OnnxRuntimeEngine/run(_:outputs:)`` throws.
    func classify(_ rows: [IrisRow]) async throws -> [IrisPrediction] {
        guard let input = engine.inputs.first, input.elementType == .float, let shape = input.shape, shape.count == 2,
            shape[1] > 0
        else {
            throw IrisError.unexpectedModel("its first input is \(engine.inputs.first?.description ?? "missing"); "
                + "expected a float tensor [rows, features]")
        }
        let width = Int(shape[1])
        let batch = shape[0] > 0 ? Int(shape[0]) : rows.count  // a dynamic batch takes every row at once
        if let bad = rows.first(where: { $0.features.count != width }) {
            throw IrisError.wrongWidth(row: bad.description, given: bad.features.count, expected: width)
        }
        var predictions: [IrisPrediction] = []
        for start in stride(from: 0, to: rows.count, by: batch) {
            let chunk = Array(rows[start..<min(start + batch, rows.count)])
            let padded = chunk + Array(repeating: chunk[chunk.count - 1], count: batch - chunk.count)
            let tensor = Tensor(shape: [batch, width], floats: padded.flatMap(\.features))
            let outputs = try await engine.run([input.name: tensor])
            guard let labels = outputs["label"]?.tensor?.int64s,
                let maps = outputs["probabilities"]?.sequence?.compactMap(\.int64FloatMap), labels.count == batch,
                maps.count == batch
            else {
                throw IrisError.unexpectedModel(
                    "it did not return \"label\" (int64) and \"probabilities\" (a map per row)")
            }
            for (index, row) in chunk.enumerated() {
                predictions.append(IrisPrediction(row: row, label: labels[index], probabilities: maps[index]))
            }
        }
        return predictions
    }
}

/// Why the example cannot classify with the model it was given.
enum IrisError: Error, CustomStringConvertible {
    /// The model's inputs or outputs are not those of the iris classifier.
    case unexpectedModel(String)
    /// A row has another number of features than the model's input has columns.
    case wrongWidth(row: String, given: Int, expected: Int)

    var description: String {
        switch self {
        case .unexpectedModel(let reason):
            "the model is not an iris classifier: \(reason)"
        case .wrongWidth(let row, let given, let expected):
            "row \(row) has \(given) values, but the model takes \(expected) per row (e.g. 5.1,3.5)"
        }
    }
}
