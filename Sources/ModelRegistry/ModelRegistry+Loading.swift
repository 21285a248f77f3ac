import Foundation

extension ModelRegistry {
    /// Loads a model, or joins the load already under way, and waits until it is loaded.
    ///
    /// A model that is unloading is loaded again once its unload ends; a failed model is retried.
    /// - Parameters:
    ///   - name: The public name.
    ///   - timeout: The longest the load may take; `nil` uses the model's `loadTimeout`, then the registry's.
    /// - Returns: The model's record once loaded.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``,
    ///   ``RegistryError/engineNotRegistered(model:pair:registered:)``, ``RegistryError/loadFailed(name:underlying:)``,
    ///   ``RegistryError/loadTimedOut(name:after:)``, ``RegistryError/loadCancelled(name:)``,
    ///   ``RegistryError/insufficientCapacity(name:needed:reason:holders:)``, or
    ///   ``RegistryError/retryCooldown(name:retryIn:failures:lastError:)`` while a failed model backs off.
    @discardableResult
    public func load(_ name: String, timeout: Duration? = nil) async throws(RegistryError) -> ModelRecord {
        while true {
            let entry = try entry(name)
            switch entry.phase {
            case .loaded: return entry.record(name: name, leases: leaseTable.figures(name))
            case .unloading(_, _, let done): _ = await done.value
            case .loading, .unloaded, .failed: _ = try await waitForLoad(name, timeout: timeout, leasing: false)
            }
        }
    }

    /// Loads a failed model now, skipping its retry back-off (see ``RegistryOptions/retryBackoff``).
    /// - Parameters:
    ///   - name: The public name.
    ///   - timeout: The longest the load may take.
    /// - Returns: The model's record once loaded.
    /// - Throws: What ``load(_:timeout:)`` throws.
    @discardableResult
    public func retry(_ name: String, timeout: Duration? = nil) async throws(RegistryError) -> ModelRecord {
        _ = try entry(name)
        entries[name]?.retryNotBefore = nil
        return try await load(name, timeout: timeout)
    }

    /// Cancels a running load. Its waiters get ``RegistryError/loadCancelled(name:)`` and the model ends `failed`;
    /// an engine that finishes loading after this is unloaded at once.
    /// - Parameter name: The public name.
    /// - Throws: ``RegistryError/modelNotFound(name:available:)``.
    public func cancelLoad(_ name: String) throws(RegistryError) {
        guard case .loading(let attempt) = try entry(name).phase else { return }
        attempt.work?.cancel()
        _ = finishLoad(name, id: attempt.id, result: .failure(.loadCancelled(name: name)))
    }

    /// Starts a load when none is running (or the model is loaded), then waits for it to settle.
    /// - Returns: The load's id and engine when this call waited for a load (with a lease taken when `leasing`);
    ///   `nil` when the model was already loaded or unloading, so the caller should look again.
    func waitForLoad(
        _ name: String, timeout: Duration?, leasing: Bool
    ) async throws(RegistryError) -> (ModelID, any InferenceEngine)? {
        var entry = try entry(name)
        if entry.isUnregistering { throw .unregistered(name: name) }
        switch entry.phase {
        case .loaded, .unloading: return nil
        case .unloaded: try startLoad(name, timeout: timeout)
        case .failed(_, let error):
            if let notBefore = entry.retryNotBefore, clock.now < notBefore {
                throw .retryCooldown(
                    name: name, retryIn: notBefore - clock.now, failures: entry.consecutiveFailures,
                    lastError: "\(error)")
            }
            try startLoad(name, timeout: timeout)
        case .loading: break
        }
        entry = try self.entry(name)
        guard case .loading(let attempt) = entry.phase else { return nil }
        guard let engine = try await join(name, id: attempt.id, leasing: leasing) else { return nil }
        return (attempt.id, engine)
    }

    /// Waits for the load with this id to finish; a cancelled caller stops waiting but the load goes on.
    /// - Returns: The engine, or `nil` when an unload cancelled the load of this leasing waiter (look again).
    private func join(_ name: String, id: ModelID, leasing: Bool) async throws(RegistryError) -> (any InferenceEngine)? {
        let waiterID = makeWaiterID()
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: LoadContinuation) in
                    guard !Task.isCancelled, case .loading(var attempt) = entries[name]?.phase, attempt.id == id else {
                        continuation.resume(throwing: RegistryError.loadCancelled(name: name))
                        return
                    }
                    attempt.waiters[waiterID] = ModelEntry.LoadWaiter(continuation: continuation, leasing: leasing)
                    entries[name]?.phase = .loading(attempt)
                }
            } onCancel: {
                Task { await self.dropLoadWaiter(name, id: id, waiterID: waiterID) }
            }
        } catch let error as RegistryError {
            throw error
        } catch is LoadInterruptedByUnload {
            return nil
        } catch {
            throw .loadCancelled(name: name)
        }
    }

    private func dropLoadWaiter(_ name: String, id: ModelID, waiterID: UInt64) {
        guard case .loading(var attempt) = entries[name]?.phase, attempt.id == id,
            let waiter = attempt.waiters.removeValue(forKey: waiterID)
        else { return }
        entries[name]?.phase = .loading(attempt)
        waiter.continuation.resume(throwing: RegistryError.loadCancelled(name: name))
    }
}

typealias LoadContinuation = CheckedContinuation<any InferenceEngine, any Error>

/// Resumes a leasing load waiter whose load an unload cancelled: the request looks again instead of failing.
struct LoadInterruptedByUnload: Error {}
