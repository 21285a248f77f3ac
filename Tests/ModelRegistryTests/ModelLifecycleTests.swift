import Foundation
@testable import ModelRegistry
import Testing

/// Every transition of the lifecycle state machine, with no actor and no engine doing anything.
@Suite(.timeLimit(.minutes(1))) struct ModelLifecycleTests {
    private let backoff = RetryBackoff(initial: .seconds(1), maximum: .seconds(8))
    private let cancelled = RegistryError.loadCancelled(name: "m")

    private func loading() -> (ModelLifecycle, ModelID) {
        var lifecycle = ModelLifecycle()
        guard case .startLoad = lifecycle.request(leasing: true, now: .zero) else {
            Issue.record("an unloaded model starts a load")
            return (lifecycle, ModelID())
        }
        let id = ModelID()
        lifecycle.loadStarted(.init(id: id, engine: InertEngine(), startedAt: .now))
        return (lifecycle, id)
    }

    private func loaded() -> (ModelLifecycle, ModelID) {
        var (lifecycle, id) = loading()
        _ = lifecycle.loadSucceeded(load: id, reportedBytes: 10, at: .now, date: Date())
        return (lifecycle, id)
    }

    @Test func unloaded_request_startsALoad_andLoadingIsJoined() {
        let (lifecycle, id) = loading()
        var copy = lifecycle
        guard case .join(let joined) = copy.request(leasing: false, now: .zero) else {
            Issue.record("a loading model is joined")
            return
        }
        #expect(joined == id)
        #expect(lifecycle.state(downloaded: nil).kind == .loading)
        #expect(lifecycle.currentID == id)
        #expect(!lifecycle.occupiesSlot && lifecycle.heldBytes == 0)
    }

    @Test func admittedLoad_reservesBytes_andOccupiesASlot() {
        var (lifecycle, id) = loading()
        let admittedCurrent = lifecycle.admitted(bytes: 42, load: id)
        #expect(admittedCurrent)
        #expect(lifecycle.occupiesSlot && lifecycle.heldBytes == 42)
        let admittedStale = lifecycle.admitted(bytes: 1, load: ModelID())
        #expect(!admittedStale)
    }

    @Test func loadSucceeded_isLoaded_withItsWaiters_andTheReportedBytes() {
        var (lifecycle, id) = loading()
        let settled = lifecycle.loadSucceeded(load: id, reportedBytes: 7, at: .now, date: Date())
        #expect(settled?.waiters.isEmpty == true)
        #expect(lifecycle.state(downloaded: nil).kind == .loaded)
        #expect(lifecycle.loaded?.bytes == 7 && lifecycle.loadCount == 1 && lifecycle.heldBytes == 7)
        let secondSuccess = lifecycle.loadSucceeded(load: id, reportedBytes: 7, at: .now, date: Date())
        #expect(secondSuccess == nil, "settled once")
    }

    @Test func loaded_leasingRequest_usesTheEngine_andStopsTheKeepAliveCountdown() {
        var (lifecycle, id) = loaded()
        let timer = Task<Void, Never> {}
        let previousTimer = lifecycle.setIdleTimer(timer, load: id)
        #expect(previousTimer == nil)
        guard case .use(let used, _, let cancel) = lifecycle.request(leasing: true, now: .zero) else {
            Issue.record("a loaded model is used")
            return
        }
        #expect(used == id && cancel == timer)
        #expect(lifecycle.loaded?.idleTimer == nil)
    }

    @Test func loaded_leasingRequestKeepingTheTimer_leavesTheCountdownRunning() {
        var (lifecycle, id) = loaded()
        let timer = Task<Void, Never> {}
        _ = lifecycle.setIdleTimer(timer, load: id)
        guard case .use(let used, _, let cancel) = lifecycle.request(leasing: true, now: .zero, keepingIdleTimer: true)
        else {
            Issue.record("a loaded model is used")
            return
        }
        #expect(used == id && cancel == nil)
        #expect(lifecycle.loaded?.idleTimer == timer)
    }

    @Test func staleLoad_eventsAreIgnored() {
        var (lifecycle, _) = loading()
        let stale = ModelID()
        let staleSuccess = lifecycle.loadSucceeded(load: stale, reportedBytes: nil, at: .now, date: Date())
        #expect(staleSuccess == nil)
        let staleFailure = lifecycle.loadFailed(load: stale, error: cancelled, now: .zero, backoff: backoff)
        #expect(staleFailure == nil)
        let staleProgress = lifecycle.downloadProgressed(nil, load: stale)
        #expect(!staleProgress)
        #expect(lifecycle.state(downloaded: nil).kind == .loading)
    }

    @Test func loadFailed_backsOff_thenRetries_andCancelledLoadsDoNotBackOff() {
        var (lifecycle, id) = loading()
        let failure = RegistryError.loadTimedOut(name: "m", after: .seconds(1))
        let settled = lifecycle.loadFailed(load: id, error: failure, now: .seconds(10), backoff: backoff)
        #expect(settled != nil)
        #expect(lifecycle.state(downloaded: nil).isFailed)
        #expect(lifecycle.failureCount == 1 && lifecycle.consecutiveFailures == 1)
        guard case .refuse(let retryIn, let failures, _) = lifecycle.request(leasing: false, now: .seconds(10)) else {
            Issue.record("a failed model backs off")
            return
        }
        #expect(retryIn == .seconds(1) && failures == 1)
        guard case .startLoad = lifecycle.request(leasing: false, now: .seconds(11)) else {
            Issue.record("after the back-off a failed model loads again")
            return
        }
        let again = ModelID()
        lifecycle.loadStarted(.init(id: again, engine: InertEngine(), startedAt: .now))
        _ = lifecycle.loadFailed(load: again, error: cancelled, now: .seconds(11), backoff: backoff)
        guard case .startLoad = lifecycle.request(leasing: false, now: .seconds(11)) else {
            Issue.record("a cancelled load sets no back-off")
            return
        }
    }

    @Test func clearBackoff_allowsARetryAtOnce() {
        var (lifecycle, id) = loading()
        _ = lifecycle.loadFailed(load: id, error: .loadFailed(name: "m", underlying: cancelled), now: .zero,
                                 backoff: backoff)
        lifecycle.clearBackoff()
        guard case .startLoad = lifecycle.request(leasing: false, now: .zero) else {
            Issue.record("retry skips the back-off")
            return
        }
    }

    @Test func unload_ofALoadingModel_cancelsIt_andLeavesItUnloaded() {
        var (lifecycle, id) = loading()
        guard case .cancelledLoad(let settled, let error) = lifecycle.unloadRequested(cancellation: cancelled) else {
            Issue.record("unloading a loading model cancels the load")
            return
        }
        #expect(settled.id == id)
        guard case .loadCancelled = error else { Issue.record("the load ends cancelled"); return }
        #expect(lifecycle.state(downloaded: nil).kind == .unloaded)
        #expect(lifecycle.failureCount == 1)
    }

    @Test func aCancelledOrFailedLoadsWork_isHandedOnceToTheNextLoad_aSucceededOnesIsNot() {
        let work = Task<Void, Never> {}
        var (byUnload, unloadedID) = loading()
        byUnload.setTasks(work: work, timer: nil, load: unloadedID)
        _ = byUnload.unloadRequested(cancellation: cancelled)
        #expect(byUnload.takeAbandonedWork() == work)
        #expect(byUnload.takeAbandonedWork() == nil)

        var (timedOut, timedOutID) = loading()
        timedOut.setTasks(work: work, timer: nil, load: timedOutID)
        _ = timedOut.loadFailed(
            load: timedOutID, error: .loadTimedOut(name: "m", after: .seconds(1)), now: .zero, backoff: backoff)
        #expect(timedOut.takeAbandonedWork() == work)

        var (succeeded, succeededID) = loading()
        succeeded.setTasks(work: work, timer: nil, load: succeededID)
        _ = succeeded.loadSucceeded(load: succeededID, reportedBytes: nil, at: .now, date: Date())
        #expect(succeeded.takeAbandonedWork() == nil)
    }

    @Test func anAbandonedAdmittedLoad_keepsItsBytesCounted_untilItsWorkEnds() {
        var (lifecycle, id) = loading()
        _ = lifecycle.admitted(bytes: 100, load: id)
        _ = lifecycle.unloadRequested(cancellation: cancelled)
        #expect(lifecycle.state(downloaded: nil).kind == .unloaded)
        #expect(lifecycle.heldBytes == 100, "its engine may still be loading")
        _ = lifecycle.takeAbandonedWork()
        #expect(lifecycle.heldBytes == 100, "the next load waiting for the work does not free the bytes")
        let released = lifecycle.workEnded(id)
        #expect(released && lifecycle.heldBytes == 0)
        let releasedAgain = lifecycle.workEnded(id)
        #expect(!releasedAgain)

        var (notAdmitted, notAdmittedID) = loading()
        _ = notAdmitted.loadFailed(
            load: notAdmittedID, error: .loadTimedOut(name: "m", after: .seconds(1)), now: .zero, backoff: backoff)
        #expect(notAdmitted.heldBytes == 0, "a load abandoned before admission reserved nothing")
        let nothingToRelease = notAdmitted.workEnded(notAdmittedID)
        #expect(!nothingToRelease)
    }

    @Test func unload_ofALoadedModel_goesThroughUnloading_toUnloaded() {
        var (lifecycle, id) = loaded()
        guard case .startUnload(let unloading, _, _) = lifecycle.unloadRequested(cancellation: cancelled) else {
            Issue.record("a loaded model starts unloading")
            return
        }
        #expect(unloading == id)
        let done = Task<Result<Void, RegistryError>, Never> { .success(()) }
        lifecycle.unloadStarted(done)
        #expect(lifecycle.state(downloaded: nil).kind == .unloading)
        #expect(lifecycle.occupiesSlot && lifecycle.heldBytes == 10)
        guard case .waitForUnload = lifecycle.request(leasing: true, now: .zero) else {
            Issue.record("a request waits for the unload")
            return
        }
        guard case .join = lifecycle.unloadRequested(cancellation: cancelled) else {
            Issue.record("a second unload joins the first")
            return
        }
        let unloadedID = lifecycle.unloadFinished(drained: true)
        #expect(unloadedID == id)
        #expect(lifecycle.state(downloaded: true).kind == .downloaded)
        #expect(lifecycle.state(downloaded: nil).kind == .unloaded)
        let secondFinish = lifecycle.unloadFinished(drained: true)
        #expect(secondFinish == nil)
    }

    @Test func undrainedUnload_leavesTheModelLoaded() {
        var (lifecycle, id) = loaded()
        _ = lifecycle.unloadRequested(cancellation: cancelled)
        lifecycle.unloadStarted(Task { .success(()) })
        let restoredID = lifecycle.unloadFinished(drained: false)
        #expect(restoredID == id)
        #expect(lifecycle.loaded?.id == id && lifecycle.loaded?.bytes == 10)
    }

    @Test func unload_ofAFailedModel_resetsIt() {
        var lifecycle = ModelLifecycle()
        lifecycle.engineCreationFailed(cancelled)
        #expect(lifecycle.state(downloaded: false).isFailed && lifecycle.currentID == nil)
        guard case .none = lifecycle.unloadRequested(cancellation: cancelled) else {
            Issue.record("nothing to unload")
            return
        }
        #expect(lifecycle.state(downloaded: false).kind == .notDownloaded)
    }

    @Test func downloadProgress_showsAsDownloading_untilCleared() {
        var (lifecycle, id) = loading()
        let progress = DownloadProgress(modelName: "m", bytesReceived: 5, totalBytes: 10)
        let progressed = lifecycle.downloadProgressed(progress, load: id)
        #expect(progressed)
        #expect(lifecycle.state(downloaded: false).kind == .downloading)
        #expect(lifecycle.isDownloading(id))
        let cleared = lifecycle.downloadProgressed(nil, load: id)
        #expect(cleared)
        #expect(lifecycle.state(downloaded: true).kind == .loading)
    }

    @Test func engineInUse_fromTheLoadsStart_downloadingIncluded_untilUnloaded() {
        var (lifecycle, id) = loading()
        _ = lifecycle.downloadProgressed(DownloadProgress(modelName: "m", bytesReceived: 5, totalBytes: 10), load: id)
        #expect(lifecycle.engineInUse, "a load downloading its file uses its configuration")
        _ = lifecycle.loadSucceeded(load: id, reportedBytes: nil, at: .now, date: Date())
        #expect(lifecycle.engineInUse)
        lifecycle.unloadStarted(Task { .success(()) })
        #expect(lifecycle.engineInUse, "unloading: the engine still serves its leases")
        lifecycle.unloadFinished(drained: true)
        #expect(!lifecycle.engineInUse)
        let (failing, failingID) = loading()
        var failed = failing
        _ = failed.loadFailed(load: failingID, error: cancelled, now: .zero, backoff: backoff)
        #expect(!failed.engineInUse)
    }

    // MARK: - Version swaps

    private func incoming(reserving bytes: Int = 7) -> ModelLifecycle.IncomingVersion {
        ModelLifecycle.IncomingVersion(
            id: ModelID(), engine: InertEngine(), configuration: ModelConfiguration(
                name: "m", engine: .onnxruntime, modelType: .tensor, path: "/v2.onnx", version: "2.0.0"),
            swap: VersionSwap(from: "1.0.0", to: "2.0.0", mode: .sideBySide), startedAt: .now, reservedBytes: bytes)
    }

    @Test func swapLoading_keepsServingTheOldEngine_andReservesTheNewOnesBytes() {
        var (lifecycle, id) = loaded()
        let next = incoming(reserving: 7)
        let replaced = lifecycle.swapStarted(next)
        #expect(replaced == nil)
        guard case .use(let used, _, _) = lifecycle.request(leasing: true, now: .zero) else {
            Issue.record("a model whose new version loads is still used")
            return
        }
        #expect(used == id)
        #expect(lifecycle.heldBytes == 10 + 7)
        #expect(lifecycle.state(downloaded: nil).kind == .loaded)
    }

    @Test func swapSucceeded_makesTheNewEngineCurrent_andHandsBackTheOldOne() throws {
        var (lifecycle, oldID) = loaded()
        let next = incoming()
        _ = lifecycle.swapStarted(next)
        let succeeded = lifecycle.swapSucceeded(swap: next.id, reportedBytes: 20, at: .now, date: Date())
        let (old, swapped) = try #require(succeeded)
        #expect(old.id == oldID)
        #expect(swapped.id == next.id)
        #expect(lifecycle.currentID == next.id)
        #expect(lifecycle.heldBytes == 20)
        #expect(lifecycle.loadCount == 2)
        #expect(lifecycle.loaded?.incoming?.id == nil)
    }

    @Test func staleSwap_isRefused_afterANewerSwapReplacedIt() {
        var (lifecycle, oldID) = loaded()
        let first = incoming()
        let second = incoming()
        _ = lifecycle.swapStarted(first)
        let replaced = lifecycle.swapStarted(second)
        #expect(replaced?.id == first.id)
        let stale = lifecycle.swapSucceeded(swap: first.id, reportedBytes: nil, at: .now, date: Date())
        #expect(stale == nil)
        let staleEnd = lifecycle.swapEnded(swap: first.id)
        #expect(staleEnd == nil)
        #expect(lifecycle.currentID == oldID)
        let ended = lifecycle.swapCancelled()
        #expect(ended?.id == second.id)
        #expect(lifecycle.heldBytes == 10 + 7 + 7, "both abandoned swaps may still be loading their versions")
        #expect(lifecycle.workEnded(first.id) && lifecycle.workEnded(second.id))
        #expect(lifecycle.heldBytes == 10)
    }

    @Test func aSwapCancelledByAnUnloadOrANewerSwap_handsItsWorkToTheNextLoad_oneThatEndedItselfDoesNot() {
        let work = Task<Void, Never> {}
        var (lifecycle, _) = loaded()
        let first = incoming()
        _ = lifecycle.swapStarted(first)
        lifecycle.setSwapWork(work, swap: first.id)
        _ = lifecycle.swapStarted(incoming())
        #expect(lifecycle.takeAbandonedWork() == work, "the replaced swap's engine may still be loading")

        let second = incoming()
        _ = lifecycle.swapStarted(second)
        lifecycle.setSwapWork(work, swap: second.id)
        let cancelled = lifecycle.swapCancelled()
        #expect(cancelled?.id == second.id)
        #expect(lifecycle.takeAbandonedWork() == work, "the swap an unload cancels may still be loading")
        #expect(lifecycle.takeAbandonedWork() == nil)

        let third = incoming()
        _ = lifecycle.swapStarted(third)
        lifecycle.setSwapWork(work, swap: third.id)
        lifecycle.swapEnded(swap: third.id)
        #expect(lifecycle.takeAbandonedWork() == nil, "a swap that ended itself has no load left running")
    }
}
