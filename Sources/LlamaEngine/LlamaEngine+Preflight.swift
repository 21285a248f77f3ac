import ModelPreflight

extension LlamaEngine {
    /// Checks, just before libllama opens the file, that the path still leads to the file the preflight checked and
    /// that the child's libllama did not refuse it.
    /// - Parameters:
    ///   - clearance: What the preflight cleared; `nil` when nothing was checked.
    ///   - options: The load settings, for the model's name and path.
    /// - Throws: ``LlamaError/modelLoadFailed(model:path:reason:)`` with libllama's reason when the child's libllama
    ///   refused the file (the error an in-process open gives); otherwise the `PreflightError` of
    ///   `PreflightClearance.confirm()`: the file changed, or the child refused it for another reason.
    static func confirm(_ clearance: PreflightClearance?, options: LlamaLoadOptions) throws {
        do {
            try clearance?.confirm()
        } catch {
            if case .childRefused = error, let native = clearance?.refusal?.nativeStatus {
                throw LlamaError.modelLoadFailed(model: options.name, path: options.path, reason: native.message)
            }
            throw error
        }
    }
}
