/// Waits until `condition` holds, yielding between checks, for state that publishes no event to await.
///
/// Unlike a bare `while … { await Task.yield() }` loop it throws `CancellationError` once the task is cancelled,
/// which is what a test's `.timeLimit` does: a condition that never comes true fails the test instead of hanging
/// the whole run.
/// - Parameter condition: The state to wait for.
/// - Throws: `CancellationError` when the task is cancelled first; what `condition` throws.
public func waitUntil(_ condition: () async throws -> Bool) async throws {
    while try await !condition() {
        try Task.checkCancellation()
        await Task.yield()
    }
}
