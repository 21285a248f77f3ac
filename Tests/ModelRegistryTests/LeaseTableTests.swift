import Foundation
@testable import ModelRegistry
import ModelRegistryTestSupport
import Testing

/// The lease table on its own: what ending a fast lease reports, and that a lease outliving its model's
/// registration touches nothing of a model registered later under the same name.
@Suite(.timeLimit(.minutes(1))) struct LeaseTableTests {
    @Test func fastLease_endsQuietlyWhileOpen_andReportsTheLastLeaseOnceClosed() throws {
        let table = LeaseTable()
        let id = ModelID()
        table.add("m")
        table.open("m", id: id, engine: InertEngine())
        let first = try #require(table.tryLease("m"))
        let second = try #require(table.tryLease("m"))
        #expect(first.id == id && table.figures("m").leases == 2)
        #expect(table.release(first) == .quiet)  // open: nothing watches the leases
        #expect(table.close("m") == 1)
        #expect(table.tryLease("m") == nil)  // closed: leases go through the actor
        #expect(table.release(second) == .lastLease)
        #expect(table.figures("m").leases == 0 && table.figures("m").uses == 2)
    }

    @Test func watchingIdle_recordsWhenTheLastLeaseEnded_onTheRegistryClock() throws {
        let manual = ManualClock()
        let clock = RegistryClock(manual)
        let table = LeaseTable()
        let id = ModelID()
        table.add("m")
        manual.advance(by: .seconds(5))
        table.open("m", id: id, engine: InertEngine(), watchingIdleOn: clock)
        #expect(table.figures("m").idleSince == .seconds(5), "watching begins when the path opens")
        let lease = try #require(table.tryLease("m"))
        manual.advance(by: .seconds(3))
        #expect(table.release(lease) == .quiet)
        #expect(table.figures("m").idleSince == .seconds(8))

        // A countdown come due closes the path but keeps what was seen; reopening goes on from it.
        #expect(table.closeForExpiry("m").idleSince == .seconds(8))
        #expect(table.tryLease("m") == nil)
        manual.advance(by: .seconds(1))
        table.open("m", id: id, engine: InertEngine(), watchingIdleOn: clock)
        #expect(table.figures("m").idleSince == .seconds(8))

        // Closed for another reason (a capacity wait, an unload), lease ends reach the actor: watching stops, and
        // starts afresh when the path opens again.
        table.close("m")
        #expect(table.figures("m").idleSince == nil)
        table.open("m", id: id, engine: InertEngine(), watchingIdleOn: clock)
        #expect(table.figures("m").idleSince == .seconds(9))
        table.open("m", id: id, engine: InertEngine())
        #expect(table.figures("m").idleSince == nil, "a model kept forever is not watched")
    }

    @Test func fastLease_endingAfterItsModelWasRemoved_leavesTheNextRegistrationAlone() throws {
        let table = LeaseTable()
        table.add("m")
        table.open("m", id: ModelID(), engine: InertEngine())
        let stale = try #require(table.tryLease("m"))
        table.remove("m")
        table.add("m")  // registered again: a new record under the same name
        table.lease("m")
        #expect(table.release(stale) == .quiet)
        #expect(table.figures("m").leases == 1)
    }

    @Test func fastLease_onASwappedOutEngine_isCountedApart_andTheLastReportsTheDrain() throws {
        let table = LeaseTable()
        let old = ModelID(), new = ModelID()
        table.add("m")
        table.open("m", id: old, engine: InertEngine())
        let onOld = try #require(table.tryLease("m"))
        #expect(table.retire("m", id: old) == 1)
        table.open("m", id: new, engine: InertEngine())
        let onNew = try #require(table.tryLease("m"))
        #expect(onNew.id == new)
        #expect(table.release(onOld) == .retiredDrained(old))
        #expect(table.release(onNew) == .quiet)
        #expect(table.figures("m").leases == 0)
    }
}
