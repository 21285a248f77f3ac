
/// One submitted request: the work to run with an engine, and the one-shot result its submitter awaits.
final class WorkItem: Sendable {
    private enum State {
        case waiting
        case awaited(CheckedContinuation<any Sendable, any Error>)
        case done(Result<any Sendable, any Error>)
    }

    private let operation: @Sendable (any InferenceEngine) async throws -> any Sendable
    private let state = Locked(State.waiting)

    init(_ operation: @escaping @Sendable (any InferenceEngine) async throws -> any Sendable) {
        self.operation = operation
    }

    /// Whether the item already has a result (it ran, failed, or its submitter stopped waiting).
    var isSettled: Bool { state.withLock { if case .done = $0 { true } else { false } } }

    /// Runs the work with the engine and hands the result to the submitter.
    func run(with engine: any InferenceEngine) async {
        guard !isSettled else { return }
        do { settle(.success(try await operation(engine))) } catch { settle(.failure(error)) }
    }

    /// Fails the item without running it.
    func fail(_ error: any Error) { settle(.failure(error)) }

    /// Waits for the result; a cancelled submitter stops waiting and the work is skipped if not yet started.
    func value() async throws -> any Sendable {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let result: Result<any Sendable, any Error>? = state.withLock { state in
                    if case .done(let result) = state { return result }
                    state = .awaited(continuation)
                    return nil
                }
                if let result { continuation.resume(with: result) }
            }
        } onCancel: {
            settle(.failure(CancellationError()))
        }
    }

    private func settle(_ result: Result<any Sendable, any Error>) {
        let waiter: CheckedContinuation<any Sendable, any Error>? = state.withLock { state in
            switch state {
            case .done: return nil
            case .waiting:
                state = .done(result)
                return nil
            case .awaited(let continuation):
                state = .done(result)
                return continuation
            }
        }
        waiter?.resume(with: result)
    }
}
