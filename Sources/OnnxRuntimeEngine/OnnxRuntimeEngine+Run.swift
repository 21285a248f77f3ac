// MARK: - Running

extension OnnxRuntimeEngine {
    /// Runs the model once on named input tensors and returns the named outputs.
    ///
    /// The inputs are checked in Swift first (names, element types, shapes, element counts). The run itself —
    /// copying the inputs into ORT values (`CreateTensorAsOrtValue`), `Run`, and reading the outputs
    /// (`GetTensorMutableData`, and `GetValueCount`/`GetValue` for sequences and maps) — happens on a dedicated
    /// dispatch queue, or on the calling thread once the model's runs are known to be shorter than the hop to that
    /// queue (``RunCostEstimate``). Several runs may proceed at once: ONNX Runtime allows concurrent `Run` calls on a
    /// session.
    /// Cancelling the calling task terminates the run (`RunOptionsSetTerminate`).
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
    ///   `elementTypeMismatch`, `shapeMismatch`, `dataCountMismatch`, `unsupportedInputType`); `unknownOutput`;
    ///   `unsupportedOutputType`; `runFailed` with ORT's message; `cancelled`.
    public func run(
        _ inputs: [String: Tensor], outputs outputNames: [String]? = nil
    ) async throws(OnnxRuntimeError) -> [String: OnnxValue] {
        let model = try loadedModel()
        let plan = try model.plan(inputs, outputNames: outputNames)
        guard !Task.isCancelled else { throw .cancelled(model: model.name) }
        let session = model.session
        let runOptions = try Self.native(model.name, "CreateRunOptions") { () throws(OnnxRuntimeStatus) in
            try ORTRunOptions(api: session.api)
        }
        let elements = plan.inputs.reduce(0) { $0 + $1.tensor.count }
        let work: @Sendable () -> Result<[String: OnnxValue], OnnxRuntimeError> = {
            let start = ContinuousClock.now
            let result = Self.execute(plan, session: session, options: runOptions, model: model.name)
            if case .success = result {
                let duration = ContinuousClock.now - start
                model.runCost.withLock { $0.record(duration, elements: elements) }
            }
            return result
        }
        let placement = model.runCost.withLock { $0.placement(elements: elements) }
        let result = await withTaskCancellationHandler {
            switch placement {
            case .inline: work()
            case .nativeQueue: await NativeQueue.perform(work)
            }
        } onCancel: {
            runOptions.terminate()
        }
        if case .failure = result, Task.isCancelled { throw .cancelled(model: model.name) }
        return try result.get()
    }

    /// Converts, runs and reads back. Blocking: runs on the native queue.
    private static func execute(
        _ plan: RunPlan, session: ORTSession, options: ORTRunOptions, model: String
    ) -> Result<[String: OnnxValue], OnnxRuntimeError> {
        Result { () throws(OnnxRuntimeError) in
            let values = try native(model, "CreateTensorAsOrtValue") { () throws(OnnxRuntimeStatus) in
                try plan.inputs.map { input throws(OnnxRuntimeStatus) in
                    (input.name, try ORTValue.tensor(input.tensor, api: session.api))
                }
            }
            let outputs: [ORTValue]
            do throws(OnnxRuntimeStatus) {
                outputs = try session.run(inputs: values, outputNames: plan.outputNames, options: options)
            } catch {
                throw .runFailed(model: model, status: error)
            }
            var named: [String: OnnxValue] = [:]
            for (name, value) in zip(plan.outputNames, outputs) {
                do throws(ORTReadFailure) {
                    named[name] = try value.read()
                } catch {
                    switch error {
                    case .status(let status): throw .native(model: model, operation: "read output", status: status)
                    case .unsupported(let type): throw .unsupportedOutputType(model: model, output: name, type: type)
                    }
                }
            }
            return named
        }
    }
}
