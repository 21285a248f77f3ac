/// A run that passed validation: the inputs in the model's order and the outputs to compute.
struct RunPlan: Sendable {
    let inputs: [(name: String, tensor: Tensor)]
    let outputNames: [String]
}

extension OnnxRuntimeEngine.LoadedModel {
    /// Checks inputs and requested outputs against the model, entirely in Swift, so that bad input never reaches
    /// native code: every name known and present, element types equal, shapes fitting the declared ones (`-1`
    /// dimensions accept any size), element counts matching the shapes.
    /// - Parameters:
    ///   - inputs: The named input tensors.
    ///   - outputNames: The outputs to compute; `nil` means all, in the model's order.
    /// - Returns: The plan to execute.
    /// - Throws: ``OnnxRuntimeError``: `unknownInput`, `missingInputs`, `unsupportedInputType`,
    ///   `elementTypeMismatch`, `shapeMismatch`, `dataCountMismatch`, `unknownOutput`.
    func plan(_ inputs: [String: Tensor], outputNames: [String]?) throws(OnnxRuntimeError) -> RunPlan {
        let declared = info.inputs.map(\.name)
        for given in inputs.keys.sorted() where !declared.contains(given) {
            throw .unknownInput(model: name, name: given, expected: declared)
        }
        let missing = declared.filter { inputs[$0] == nil }
        guard missing.isEmpty else { throw .missingInputs(model: name, names: missing) }
        var ordered: [(name: String, tensor: Tensor)] = []
        for input in info.inputs {
            let tensor = inputs[input.name]!
            try check(tensor, against: input)
            ordered.append((input.name, tensor))
        }
        let available = info.outputs.map(\.name)
        let requested = outputNames ?? available
        for output in requested where !available.contains(output) {
            throw .unknownOutput(model: name, name: output, available: available)
        }
        return RunPlan(inputs: ordered, outputNames: requested)
    }

    private func check(_ tensor: Tensor, against input: TensorInfo) throws(OnnxRuntimeError) {
        guard case .tensor(let elementType, let declaredShape) = input.type,
            Tensor.supportedElementTypes.contains(elementType)
        else { throw .unsupportedInputType(model: name, input: input.name, type: input.type.typeName) }
        guard tensor.elementType == elementType else {
            throw .elementTypeMismatch(
                model: name, input: input.name, expected: elementType, given: tensor.elementType)
        }
        let fits = tensor.shape.count == declaredShape.count
            && zip(declaredShape, tensor.shape).allSatisfy { declared, given in
                given >= 0 && (declared < 0 || declared == Int64(given))
            }
        guard fits else {
            throw .shapeMismatch(model: name, input: input.name, expected: declaredShape, given: tensor.shape)
        }
        let expectedCount = tensor.shape.reduce(1, *)
        guard tensor.count == expectedCount else {
            throw .dataCountMismatch(
                model: name, input: input.name, shape: tensor.shape, expected: expectedCount, given: tensor.count)
        }
    }
}
