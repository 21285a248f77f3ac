import ModelRegistry

/// What test engines do and what happened to them: a test double of an engine's behaviour (not of the registry),
/// shared by every engine a factory creates.
final class EngineScript: Sendable {
    struct TestFailure: Error, CustomStringConvertible {
        var description: String
    }

    private struct State {
        var loads: [String: Int] = [:]
        var unloads: [String: Int] = [:]
        var contexts: [EngineLoadContext] = []
        var failures: [String: Int] = [:]
        var gates: [String: Gate] = [:]
        /// Gates that the next unload of a model waits at (one unload each).
        var unloadGates: [String: Gate] = [:]
        var health: [String: ModelHealth] = [:]
        /// `"load"` when an engine's load begins, `"unload"` when one unloads, by model, in order.
        var journal: [String: [String]] = [:]
        /// Tests waiting for an engine of a model to unload.
        var unloadWatchers: [(name: String, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Locked(State())

    /// Makes the next `times` loads of `name` throw.
    func failLoads(of name: String, times: Int = 1) { state.withLock { $0.failures[name] = times } }

    /// Makes loads of `name` wait at a gate until the test opens it.
    func holdLoads(of name: String) -> Gate {
        let gate = Gate()
        state.withLock { $0.gates[name] = gate }
        return gate
    }

    /// Makes the next unload of an engine of `name` (only that one) wait at a gate until the test opens it.
    func holdNextUnload(of name: String) -> Gate {
        let gate = Gate()
        state.withLock { $0.unloadGates[name] = gate }
        return gate
    }

    /// Sets the health that engines of `name` report.
    func setHealth(_ health: ModelHealth, for name: String) { state.withLock { $0.health[name] = health } }

    func loads(of name: String) -> Int { state.withLock { $0.loads[name] ?? 0 } }
    func unloads(of name: String) -> Int { state.withLock { $0.unloads[name] ?? 0 } }
    var contexts: [EngineLoadContext] { state.withLock { $0.contexts } }
    /// What the engines of `name` did, in order: `"load"` when a load began, `"unload"` when one unloaded.
    func journal(of name: String) -> [String] { state.withLock { $0.journal[name] ?? [] } }

    func load(_ context: EngineLoadContext) async throws {
        let (gate, fail) = state.withLock { state -> (Gate?, Bool) in
            state.contexts.append(context)
            state.journal[context.name, default: []].append("load")
            let remaining = state.failures[context.name] ?? 0
            if remaining > 0 { state.failures[context.name] = remaining - 1 }
            return (state.gates[context.name], remaining > 0)
        }
        await gate?.wait()
        if fail { throw TestFailure(description: "scripted failure loading \(context.name)") }
        state.withLock { $0.loads[context.name, default: 0] += 1 }
    }

    func unload(_ name: String) async {
        await state.withLock { $0.unloadGates.removeValue(forKey: name) }?.wait()
        let watchers = state.withLock { state in
            state.unloads[name, default: 0] += 1
            state.journal[name, default: []].append("unload")
            defer { state.unloadWatchers.removeAll { $0.name == name } }
            return state.unloadWatchers.filter { $0.name == name }.map(\.continuation)
        }
        watchers.forEach { $0.resume() }
    }

    /// Waits until an engine of `name` has unloaded at least once.
    func waitForUnload(of name: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                if (state.unloads[name] ?? 0) > 0 { return true }
                state.unloadWatchers.append((name, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }
    func health(_ name: String) -> ModelHealth { state.withLock { $0.health[name] ?? .healthy } }
}
