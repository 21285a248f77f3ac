internal import COnnxRuntime

// MARK: - Running

extension OnnxRuntimeEngine {
    /// Runs the model once on named input tensors and returns the named outputs, copied into Swift values.
    ///
    /// The inputs are checked in Swift first (names, element types, shapes, element counts). The run itself —
    /// wrapping the inputs' storage in ORT values without copying it (`CreateTensorWithDataAsOrtValue`; strings are
    /// copied with `FillStringTensor`), `Run`, and reading the outputs (`GetTensorMutableData`,
    /// `GetStringTensorContent`, and `GetValueCount`/`GetValue` for sequences and maps; a model's final ZipMaps are
    /// built in Swift from the tensor they read instead, see ``OnnxZipMapRewrite``) — happens on a dedicated
    /// dispatch queue, or on the calling thread once the model's runs are known to take at most the inline budget
    /// (`inlineRunMicroseconds`, 1 ms by default; ``RunCostEstimate``); a loop of such runs still gives up its
    /// thread about once a millisecond (`Task.yield()`), so it cannot starve the other tasks. Several runs may
    /// proceed at once: ONNX Runtime allows concurrent `Run` calls on a session. Cancelling the calling task terminates a queued run
    /// (`RunOptionsSetTerminate`); a run on the calling thread is expected to end sooner than that would take, and
    /// cancellation is checked before it starts.
    ///
    /// To avoid the copy of the outputs, use ``withRun(_:outputs:_:)`` (read ORT's memory in place) or
    /// ``run(_:into:)`` (ORT writes into buffers you keep).
    ///
    /// ```swift
    /// let x = Tensor(shape: [3, 2], floats: [1, 2, 3, 4, 5, 6])
    /// let y = try await engine.run(["X": x])["Y"]?.tensor?.floats
    /// ```
    /// - Parameters:
    ///   - inputs: A tensor for every model input, by input name.
    ///   - outputNames: The outputs to compute; `nil` (the default) computes all of them.
    /// - Returns: The outputs by name.
    /// - Throws: ``OnnxRuntimeError``: `notLoaded`; an input error (`unknownInput`, `missingInputs`,
    ///   `inputMismatch`, `dataCountMismatch`, `shapeTooLarge`, `unsupportedInputType`); `unknownOutput`;
    ///   `unsupportedOutputType`; `runFailed` with ORT's message; `cancelled`.
    public func run(
        _ inputs: [String: Tensor], outputs outputNames: [String]? = nil
    ) async throws(OnnxRuntimeError) -> [String: OnnxValue] {
        try await perform(inputs, outputNames: outputNames, buffers: [:], reading: CopiedOutputs.self)
    }

    /// The reading of ``run(_:outputs:)``: every output copied into a Swift value, by name; final ZipMaps built in
    /// Swift.
    enum CopiedOutputs: RunOutputReading {
        static func read(
            _ model: LoadedModel, _ plan: RunPlan, _ values: Outputs
        ) -> Result<[String: OnnxValue], OnnxRuntimeError> {
            Result { () throws(OnnxRuntimeError) in
                var reader = ORTValueReader(api: model.session.api)
                // All outputs: a copy of the model's result template, filled by position; some: a new dictionary.
                var named = plan.allOutputs ? model.resultTemplate : [:]
                if !plan.allOutputs { named.reserveCapacity(values.count) }
                for (position, index) in plan.outputIndices.enumerated() {
                    let output = model.info.outputs[index]
                    guard let value = values[position] else { continue }  // never: execute checks every output
                    let copy: OnnxValue
                    if plan.zipMapsInSwift, let shortcut = model.zipMapShortcuts[index] {
                        copy = try zip(value, shortcut, with: &reader, output: output.name, model: model.name)
                    } else {
                        copy = try OnnxRuntimeEngine.read(
                            value, declared: output.type, with: &reader, output: output.name, model: model.name)
                    }
                    if plan.allOutputs {
                        named.values[model.resultSlots[index]] = copy
                    } else {
                        named[output.name] = copy
                    }
                }
                return named
            }
        }
    }

    /// Runs the model once and lets `body` read the outputs where ORT left them, without copying them into Swift
    /// arrays; the outputs are released when `body` returns. Inputs are checked and handed over as for
    /// ``run(_:outputs:)``.
    ///
    /// ```swift
    /// let best = try await engine.withRun(["input": x]) { outputs in
    ///     try outputs["output"]!.withUnsafeBufferPointer(of: Float.self) { $0.indices.max { $0 < $1 } }
    /// }
    /// ```
    /// - Parameters:
    ///   - inputs: A tensor for every model input, by input name.
    ///   - outputNames: The outputs to compute; `nil` computes all of them.
    ///   - body: Reads the outputs; the views must not escape it.
    /// - Returns: What `body` returns.
    /// - Throws: What ``run(_:outputs:)`` throws, or what `body` throws.
    public func withRun<R>(
        _ inputs: [String: Tensor], outputs outputNames: [String]? = nil,
        _ body: (OnnxRunOutputs) throws -> R
    ) async throws -> R {
        let owned = try await perform(inputs, outputNames: outputNames, buffers: [:], reading: OwnedOutputs.self)
        return try body(owned)
    }

    /// The reading of ``withRun(_:outputs:_:)``: ownership of every output taken, so that they outlive the run for
    /// the caller's closure.
    enum OwnedOutputs: RunOutputReading {
        static func read(_ model: LoadedModel, _ plan: RunPlan, _ values: Outputs) -> Result<OnnxRunOutputs, OnnxRuntimeError> {
            var owned: [OnnxRunOutputs.Value] = []
            owned.reserveCapacity(values.count)
            for (position, index) in plan.outputIndices.enumerated() {
                guard let pointer = values[position] else { continue }  // never: execute checks every output
                let value = ORTValue(owning: pointer, api: model.session.api)
                values[position] = nil
                if plan.zipMapsInSwift, let shortcut = model.zipMapShortcuts[index] {
                    owned.append(.zipMap(input: value, shortcut))
                } else {
                    owned.append(.native(value))
                }
            }
            return .success(OnnxRunOutputs(
                model: model.name, names: plan.outputIndices.map { model.info.outputs[$0].name }, values: owned))
        }
    }

    /// Runs the model once and has ORT write the outputs straight into buffers the caller owns and may reuse on
    /// every call (a pre-allocated output for `Run`, made with `CreateTensorWithDataAsOrtValue`). Only the outputs
    /// named in `buffers` are computed.
    ///
    /// ```swift
    /// let scores = TensorBuffer(elementType: .float, shape: [32, 10])!
    /// for batch in batches {
    ///     try await engine.run(["input": batch], into: ["output": scores])
    ///     scores.withUnsafeBufferPointer(of: Float.self) { use($0) }
    /// }
    /// ```
    /// A buffer must not be used by two runs at once, nor read while a run writes it.
    /// - Parameters:
    ///   - inputs: A tensor for every model input, by input name.
    ///   - buffers: One buffer per output to compute, by output name, of the output's element type and shape.
    /// - Throws: What ``run(_:outputs:)`` throws (`unknownOutput` for a buffer named after no output), and
    ///   ``OnnxRuntimeError/outputBufferMismatch(model:output:expected:given:)`` when a buffer does not fit its output
    ///   (checked before the run); `runFailed` when the output's actual shape differs from the buffer's.
    public func run(_ inputs: [String: Tensor], into buffers: [String: TensorBuffer]) async throws(OnnxRuntimeError) {
        let model = try loadedModel()
        let available = model.info.outputs.map(\.name)
        for name in buffers.keys.sorted() where !available.contains(name) {
            throw .unknownOutput(model: model.name, name: name, available: available)
        }
        let ordered = available.filter { buffers[$0] != nil }
        try await perform(inputs, outputNames: ordered, buffers: buffers, reading: OutputsInBuffers.self)
    }

    /// The reading of ``run(_:into:)``: nothing to read, ORT wrote into the caller's buffers.
    enum OutputsInBuffers: RunOutputReading {
        static func read(_ model: LoadedModel, _ plan: RunPlan, _ values: Outputs) -> Result<Void, OnnxRuntimeError> {
            .success(())
        }
    }

    /// Checks, runs and hands the outputs to `Reading`, on the native queue or inline (see ``RunCostEstimate``).
    /// The reading is a type rather than a closure: a closure passed here would need a reabstraction thunk,
    /// allocated on every call.
    private func perform<Reading: RunOutputReading>(
        _ inputs: [String: Tensor], outputNames: [String]?, buffers: [String: TensorBuffer], reading: Reading.Type
    ) async throws(OnnxRuntimeError) -> Reading.Output {
        let model = try loadedModel()
        let plan = try model.plan(inputs, outputNames: outputNames)
        let targets = try model.outputTargets(plan, buffers: buffers)
        let (placement, timed) = model.runCost.withLock { estimate in
            let placement = estimate.placement(elements: plan.elementCount)
            return (placement, estimate.times(placement))
        }
        if placement == .inlineAfterYield { await Task.yield() }
        guard !Task.isCancelled else { throw .cancelled(model: model.name) }
        switch placement {
        case .inline, .inlineAfterYield:
            // Expected to take at most the inline budget: cancellation is checked before, not during, the run, so
            // it needs no run options to terminate it.
            return try Self.measured(
                plan, targets: targets, model: model, options: nil, timed: timed, reading: Reading.self
            ).get()
        case .nativeQueue:
            let runOptions = try Self.native(model.name, "CreateRunOptions") { () throws(OnnxRuntimeStatus) in
                try model.runOptions.take()
            }
            let result = await withTaskCancellationHandler {
                await nativeQueue.perform {
                    Self.measured(
                        plan, targets: targets, model: model, options: runOptions, timed: true, reading: Reading.self)
                }
            } onCancel: {
                runOptions.terminate()
            }
            model.runOptions.give(back: runOptions)
            if case .failure = result, Task.isCancelled { throw .cancelled(model: model.name) }
            return try result.get()
        }
    }

    /// ORT's outputs of one run, in the planned order, borrowed by the ``RunOutputReading`` that reads them: an
    /// entry the reader sets to `nil` is its own to release; the others are released after it returns.
    typealias Outputs = UnsafeMutableBufferPointer<OpaquePointer?>

    /// How a run hands back its outputs.
    protocol RunOutputReading: Sendable {
        /// What the run returns.
        associatedtype Output: Sendable
        /// Reads the outputs of a finished run (see ``Outputs`` for who releases them).
        static func read(_ model: LoadedModel, _ plan: RunPlan, _ values: Outputs) -> Result<Output, OnnxRuntimeError>
    }

    /// Executes and reads the run; when `timed`, records how long it took for ``RunCostEstimate``. Blocking.
    private static func measured<Reading: RunOutputReading>(
        _ plan: RunPlan, targets: [TensorBuffer?], model: LoadedModel, options: ORTRunOptions?, timed: Bool,
        reading: Reading.Type
    ) -> Result<Reading.Output, OnnxRuntimeError> {
        let start = timed ? ContinuousClock.now : nil
        let result = execute(plan, targets: targets, model: model, options: options) { outputs in
            Reading.read(model, plan, outputs)
        }
        if let start, case .success = result {
            let duration = ContinuousClock.now - start
            model.runCost.withLock { $0.record(duration, elements: plan.elementCount) }
        }
        return result
    }

    /// Wraps the inputs, runs, and hands the outputs to `consume`; the outputs ORT allocated and `consume` did not
    /// take are released afterwards. The input and output pointer lists live on the stack. Blocking.
    private static func execute<R>(
        _ plan: RunPlan, targets: [TensorBuffer?], model: LoadedModel, options: ORTRunOptions?,
        consume: (Outputs) -> Result<R, OnnxRuntimeError>
    ) -> Result<R, OnnxRuntimeError> {
        let session = model.session
        let api = session.api
        let inputCount = plan.inputs.count
        let outputCount = plan.outputIndices.count
        return withUnsafeTemporaryAllocation(of: OpaquePointer?.self, capacity: max(1, inputCount + outputCount)) {
            slots in
            slots.initialize(repeating: nil)
            defer { slots.deinitialize() }
            let inputs = UnsafeMutableBufferPointer(rebasing: slots[0..<inputCount])
            let outputs = UnsafeMutableBufferPointer(rebasing: slots[inputCount..<(inputCount + outputCount)])
            return withInputValues(plan.inputs, from: 0, api: api, model: model.name, into: inputs) {
                var given: [ORTValue?] = []  // values over the caller's buffers, by output position
                if !targets.isEmpty {
                    given.reserveCapacity(targets.count)
                    for (index, target) in targets.enumerated() {
                        do throws(OnnxRuntimeStatus) {
                            let value = try target.map { buffer throws(OnnxRuntimeStatus) in
                                try buffer.makeValue(api: api)
                            }
                            outputs[index] = value?.withPointer { $0 }
                            given.append(value)
                        } catch {
                            return .failure(.native(
                                model: model.name, operation: "CreateTensorWithDataAsOrtValue", status: error))
                        }
                    }
                }
                // Whatever ORT allocated is released on every path; the caller's buffers stay with `given`.
                defer {
                    for index in outputs.indices where index >= given.count || given[index] == nil {
                        if let pointer = outputs[index] { api.table.pointee.ReleaseValue(pointer) }
                    }
                    withExtendedLifetime(given) {}
                }
                let status = model.outputNames.withSelection(plan.allOutputs ? nil : plan.outputIndices) { outputNames in
                    Result { () throws(OnnxRuntimeStatus) in
                        try session.run(
                            inputNames: model.inputNames.pointers, inputs: UnsafeBufferPointer(inputs),
                            outputNames: outputNames, outputs: outputs, options: options)
                    }
                }
                if case .failure(let error) = status { return .failure(.runFailed(model: model.name, status: error)) }
                guard !outputs.contains(where: { $0 == nil }) else {
                    return .failure(.native(model: model.name, operation: "Run", status: .nullResult("Run")))
                }
                return consume(outputs)
            }
        }
    }

    /// Calls `body` once an ORT value for each tensor, from `index` on, is in `slots`, all alive for the call.
    private static func withInputValues<Output>(
        _ tensors: [Tensor], from index: Int, api: ORTAPI, model: String,
        into slots: UnsafeMutableBufferPointer<OpaquePointer?>, _ body: () -> Result<Output, OnnxRuntimeError>
    ) -> Result<Output, OnnxRuntimeError> {
        guard index < tensors.count else { return body() }
        return ORTValue.withValue(for: tensors[index], api: api, model: model) { pointer in
            slots[index] = pointer
            return withInputValues(tensors, from: index + 1, api: api, model: model, into: slots, body)
        }
    }

    /// Copies one output into Swift.
    /// - Parameters:
    ///   - value: The borrowed `OrtValue*`.
    ///   - declared: The output's declared type.
    ///   - reader: The run's reader, which shares arrays between the values it reads.
    ///   - output: The output's name, for errors.
    ///   - model: The model's name, for errors.
    static func read(
        _ value: OpaquePointer, declared: OnnxValueType?, with reader: inout ORTValueReader, output: String,
        model: String
    ) throws(OnnxRuntimeError) -> OnnxValue {
        do throws(ORTReadFailure) {
            return try reader.read(value, declared: declared)
        } catch {
            throw readError(error, output: output, model: model)
        }
    }

    /// Builds a ZipMap output in Swift from its input tensor, fetched in its place (``ZipMapShortcut``).
    /// - Throws: `runFailed` with ORT's own message when the tensor does not fit the ZipMap (as ORT's kernel
    ///   would have failed the run); what reading a tensor throws.
    static func zip(
        _ value: OpaquePointer, _ shortcut: ZipMapShortcut, with reader: inout ORTValueReader, output: String,
        model: String
    ) throws(OnnxRuntimeError) -> OnnxValue {
        let zipped: Result<OnnxValue, OnnxRuntimeStatus>
        do throws(ORTReadFailure) {
            zipped = try reader.withFloats(of: value) { data, shape in shortcut.value(data: data, shape: shape) }
        } catch {
            throw readError(error, output: output, model: model)
        }
        do throws(OnnxRuntimeStatus) {
            return try zipped.get()
        } catch {
            throw .runFailed(model: model, status: error)
        }
    }

    /// Copies one output, owned by `value`, into Swift.
    static func read(_ value: ORTValue, output: String, model: String) throws(OnnxRuntimeError) -> OnnxValue {
        do throws(ORTReadFailure) {
            return try value.read()
        } catch {
            throw readError(error, output: output, model: model)
        }
    }

    private static func readError(_ error: ORTReadFailure, output: String, model: String) -> OnnxRuntimeError {
        switch error {
        case .status(let status): .native(model: model, operation: "read output", status: status)
        case .unsupported(let type): .unsupportedOutputType(model: model, output: output, type: type)
        }
    }
}

extension OnnxRuntimeEngine.LoadedModel {
    /// The caller's buffer for each planned output, `nil` where ORT allocates; checked against the declared outputs.
    /// - Throws: ``OnnxRuntimeError/outputBufferMismatch(model:output:expected:given:)``.
    /// Empty when there are no buffers.
    func outputTargets(_ plan: RunPlan, buffers: [String: TensorBuffer]) throws(OnnxRuntimeError) -> [TensorBuffer?] {
        guard !buffers.isEmpty else { return [] }
        return try plan.outputIndices.map { index throws(OnnxRuntimeError) -> TensorBuffer? in
            let output = info.outputs[index]
            guard let buffer = buffers[output.name] else { return nil }
            let given = OnnxValueType.tensor(elementType: buffer.elementType, shape: buffer.shape.map { Int64($0) })
            guard case .tensor(let elementType, let shape) = output.type, elementType == buffer.elementType,
                unshapedOutputs.contains(output.name)
                    || (shape.count == buffer.shape.count && zip(shape, buffer.shape).allSatisfy { $0 < 0 || $0 == Int64($1) })
            else { throw .outputBufferMismatch(model: name, output: output.name, expected: output.type, given: given) }
            return buffer
        }
    }
}
