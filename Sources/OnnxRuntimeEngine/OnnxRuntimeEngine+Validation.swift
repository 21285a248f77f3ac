/// A run that passed validation: the inputs in the model's order and the outputs to compute.
struct RunPlan: Sendable {
    /// The input tensors, in the model's input order.
    let inputs: [Tensor]
    /// The outputs to compute, as indices into the model's outputs.
    let outputIndices: [Int]
    /// Whether ``outputIndices`` is every output in order (the common case, which needs no name list).
    let allOutputs: Bool
    /// The total number of input elements, for ``RunCostEstimate``.
    let elementCount: Int
    /// Whether some planned output is a ZipMap removed from the session (``ZipMapShortcut``), whose input the run
    /// fetches in its stead.
    let zipMapsInSwift: Bool
}

extension OnnxRuntimeEngine.LoadedModel {
    /// Checks inputs and requested outputs against the model, entirely in Swift, so that bad input never reaches
    /// native code: every name known and present, element types equal, shapes fitting the declared ones (`-1`
    /// dimensions accept any size), element counts matching the shapes.
    /// - Parameters:
    ///   - inputs: The named input tensors.
    ///   - outputNames: The outputs to compute; `nil` means all, in the model's order.
    /// - Returns: The plan to execute.
    /// - Throws: ``OnnxRuntimeError``: `unknownInput`, `missingInputs`, `unsupportedInputType`, `inputMismatch`,
    ///   `shapeTooLarge`, `dataCountMismatch`, `unknownOutput`.
    func plan(
        _ inputs: [String: Tensor], outputNames: [String]?
    ) throws(OnnxRuntimeError) -> RunPlan {
        var ordered: [Tensor] = []
        ordered.reserveCapacity(info.inputs.count)
        var elements = 0
        // A model with a few inputs finds each by comparing names, which costs less than hashing them (a short
        // name compares as two machine words).
        let byScan = inputs.count <= Self.inputsFoundByScan
        for (index, input) in info.inputs.enumerated() {
            let found = byScan ? inputs.first(where: { $0.key == input.name })?.value : inputs[input.name]
            guard let tensor = found else { break }
            try check(tensor, against: input, declared: inputDeclarations[index])
            ordered.append(tensor)
            elements += tensor.count
        }
        if ordered.count != info.inputs.count || inputs.count != info.inputs.count {
            let declared = info.inputs.map(\.name)
            for given in inputs.keys.sorted() where !declared.contains(given) {
                throw .unknownInput(model: name, name: given, expected: declared)
            }
            throw .missingInputs(model: name, names: declared.filter { inputs[$0] == nil })
        }
        let shortcuts = !zipMapShortcuts.isEmpty
        guard let outputNames else {
            return RunPlan(
                inputs: ordered, outputIndices: allOutputIndices, allOutputs: true, elementCount: elements,
                zipMapsInSwift: shortcuts)
        }
        let indices: [Int]
        if outputNames.count == 1 {
            indices = singleOutputIndices[try outputIndex(named: outputNames[0])]
        } else {
            var chosen: [Int] = []
            chosen.reserveCapacity(outputNames.count)
            for output in outputNames { chosen.append(try outputIndex(named: output)) }
            indices = chosen
        }
        return RunPlan(
            inputs: ordered, outputIndices: indices, allOutputs: indices == allOutputIndices,
            elementCount: elements, zipMapsInSwift: shortcuts && indices.contains { zipMapShortcuts[$0] != nil })
    }

    /// Up to how many given inputs ``plan(_:outputNames:)`` looks each up by comparing names rather than hashing.
    static let inputsFoundByScan = 4

    /// The index of the output called `name`.
    /// - Throws: ``OnnxRuntimeError/unknownOutput(model:name:available:)``.
    private func outputIndex(named name: String) throws(OnnxRuntimeError) -> Int {
        guard let index = info.outputs.firstIndex(where: { $0.name == name }) else {
            throw .unknownOutput(model: self.name, name: name, available: info.outputs.map(\.name))
        }
        return index
    }

    /// Checks one input against its declaration; an input that declares no shape takes any rank (ORT checks what
    /// its graph needs).
    private func check(
        _ tensor: Tensor, against input: TensorInfo, declared declaration: InputDeclaration
    ) throws(OnnxRuntimeError) {
        guard let elementType = declaration.elementType else {
            throw .unsupportedInputType(model: name, input: input.name, type: input.type.typeName)
        }
        let fits = tensor.elementType == elementType
            && (declaration.anyShape ? tensor.shape.allSatisfy { $0 >= 0 }
                : tensor.shape.count == declaration.shape.count
                && zip(declaration.shape, tensor.shape).allSatisfy { declared, given in
                    given >= 0 && (declared < 0 || declared == Int64(given))
                })
        guard fits else {
            throw .inputMismatch(
                model: name, input: input.name, expected: input.type,
                given: .tensor(elementType: tensor.elementType, shape: tensor.shape.map { Int64($0) }))
        }
        guard let expectedCount = Tensor.elementCount(of: tensor.shape) else {
            throw .shapeTooLarge(model: name, input: input.name, shape: tensor.shape)
        }
        guard tensor.count == expectedCount else {
            throw .dataCountMismatch(
                model: name, input: input.name, shape: tensor.shape, expected: expectedCount, given: tensor.count)
        }
    }
}

/// What a run checks an input tensor against, taken out of its ``OnnxValueType`` once at load (reading the type,
/// an indirect enum, on every run cost a box projection and a retain).
struct InputDeclaration: Sendable {
    /// The element type, or `nil` when the input is not a tensor a ``Tensor`` can hold.
    let elementType: TensorElementType?
    /// The declared dimensions (`-1` for any size); empty when ``elementType`` is `nil`.
    let shape: [Int64]
    /// Whether the input declares no shape at all (``OnnxModelScan/unshapedTensors(path:)``), so any rank is
    /// accepted and ORT checks it.
    let anyShape: Bool

    /// The declaration of an input of `type`.
    /// - Parameters:
    ///   - type: The input's declared type.
    ///   - unshaped: Whether the model declares no shape for it.
    init(_ type: OnnxValueType, unshaped: Bool) {
        anyShape = unshaped
        if case .tensor(let elementType, let shape) = type, Tensor.canHold(elementType) {
            self.elementType = elementType
            self.shape = shape
        } else {
            elementType = nil
            shape = []
        }
    }
}
