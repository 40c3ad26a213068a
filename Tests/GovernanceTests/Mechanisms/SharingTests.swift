import Testing
@testable import Governance
import SimCore
import SimConfig
import Experiments

@Suite("Co-sharing")
struct SharingTests {
    /// Direction (Hangzhou case): sharing raises space utilisation, exchanges and the use of
    /// shared services (service_use_rate: bookings and exchanges are service use, not civic
    /// participation) and lowers neighbour disputes.
    @Test func sharingRaisesUtilisationAndExchangesAndLowersDisputes() throws {
        let base = "simulation.days: 360\nbaseline.participation_rate: 0.18\n"
        let off = try scenario(base), on = try scenario(base + "sharing.enabled: true\n")
        let uOff = mean(.spaceUtilization, off, reps: 4), uOn = mean(.spaceUtilization, on, reps: 4)
        #expect(uOn > 1.5 * uOff, "utilisation off \(uOff), on \(uOn)")
        #expect(mean(.exchanges, off, reps: 4) == 0)
        #expect(mean(.exchanges, on, reps: 4) > 0.5)
        #expect(mean(.serviceUse, off, reps: 4) == 0)
        #expect(mean(.serviceUse, on, reps: 4) > 0.1)
        #expect(mean(.participationRate, on, reps: 4) >= mean(.participationRate, off, reps: 4) - 0.005)
        let dOff = mean(.disputes, off, reps: 8), dOn = mean(.disputes, on, reps: 8)
        #expect(dOn < dOff, "disputes off \(dOff), on \(dOn)")
    }

    /// The Hangzhou configuration (sharing with points for exchanges, as in
    /// Scenarios/cases/hangzhou-sharing-community.yaml) on the base compound: utilisation at
    /// least × 1.5, service use, and fewer disputes. (The case's ×4 utilisation and 67 %
    /// participation are known misses until the refit after issue 25: points no longer lift
    /// every choice, and civic participation does not count the use of the spaces.)
    @Test func sharingWithPointsApproachesTheHangzhouFigures() throws {
        let base = "simulation.days: 360\nbaseline.participation_rate: 0.18\n"
        let off = try scenario(base), on = try scenario(base + "sharing.enabled: true\nincentives.points.enabled: true\n")
        let uOff = mean(.spaceUtilization, off, reps: 4), uOn = mean(.spaceUtilization, on, reps: 4)
        #expect(uOn > 1.5 * uOff, "utilisation off \(uOff), on \(uOn)")
        #expect(mean(.serviceUse, on, reps: 4) > 0.1)
        let dOff = mean(.disputes, off, reps: 6), dOn = mean(.disputes, on, reps: 6)
        #expect(dOn < dOff, "disputes off \(dOff), on \(dOn)")
    }

    /// The traditional mode uses the rooms at the traditional rate (measured in both modes).
    @Test func traditionalUseIsMeasuredWithoutSharing() throws {
        let s = try scenario("simulation.days: 180\nsharing.spaces.traditional_use: 0.2\n")
        #expect(abs(mean(.spaceUtilization, s, reps: 4) - 0.2) < 0.03)
        let none = try scenario("simulation.days: 180\nsharing.spaces.traditional_use: 0\n")
        #expect(mean(.spaceUtilization, none, reps: 2) == 0)
    }

    /// Common random numbers: switching sharing on leaves the population and problems unchanged.
    @Test func switchingSharingOnKeepsOtherDraws() throws {
        let off = try scenario("simulation.days: 200\n")
        let on = try scenario("simulation.days: 200\nsharing.enabled: true\n")
        let a = GovernanceModel.simulate(off, seed: 77) { _, _ in }
        let b = GovernanceModel.simulate(on, seed: 77) { _, _ in }
        #expect(a.hh.motivation == b.hh.motivation && a.hh.tenure == b.hh.tenure && a.hh.tieTarget == b.hh.tieTarget)
        #expect(a.arisenTotal == b.arisenTotal)
        #expect(b.sharing.exchangesTotal > 0 && a.sharing.exchangesTotal == 0)
        #expect(b.actCounts[ActKind.sharing.rawValue] > 0 && a.actCounts[ActKind.sharing.rawValue] == 0)
    }

    /// Complex contagion: an impossible neighbour threshold stops exchanges; dropping the
    /// threshold gives more exchanges than the default of 2.
    @Test func complexContagionGatesExchanges() throws {
        let base = "simulation.days: 180\nsharing.enabled: true\n"
        #expect(mean(.exchanges, try scenario(base + "sharing.exchange.contagion_neighbours: 50\n"), reps: 2) == 0)
        let simple = mean(.exchanges, try scenario(base + "sharing.exchange.contagion_neighbours: 0\n"), reps: 3)
        let complex = mean(.exchanges, try scenario(base), reps: 3)
        #expect(simple > complex, "k = 0: \(simple), k = 2: \(complex)")
    }

    /// Slot types follow group preferences: rooms open only on weekday daytime favour the
    /// elderly over the young; evening-only rooms the other way round.
    @Test func slotTypesFavourTheirGroups() throws {
        let base = "simulation.days: 270\nsharing.enabled: true\nsharing.spaces.rooms: 4\nsharing.exchange.request_logit: -20\n"
        let weekday = try scenario(base + "sharing.spaces.evening_slots: 0\nsharing.spaces.weekend_slots: 0\n")
        let evening = try scenario(base + "sharing.spaces.weekday_slots: 0\nsharing.spaces.weekend_slots: 0\n")
        // Bookings are service use (service_use_rate), not civic participation.
        let gapWeekday = mean(.serviceUseElderly, weekday, reps: 3) - mean(.serviceUseYoung, weekday, reps: 3)
        let gapEvening = mean(.serviceUseElderly, evening, reps: 3) - mean(.serviceUseYoung, evening, reps: 3)
        #expect(gapWeekday > gapEvening + 0.05, "elderly − young: weekday-only \(gapWeekday), evening-only \(gapEvening)")
    }

    /// Social capital stays in [0, 1], builds up under sharing and decays after it stops;
    /// without it, sharing protects less against disputes.
    @Test func socialCapitalBuildsDecaysAndProtects() throws {
        let s = try scenario("""
        simulation.days: 540
        baseline.participation_rate: 0.18
        sharing.enabled: true
        timeline:
          - day: 270
            set: {sharing.enabled: false}
        """)
        var atSwitch = 0.0, atEnd = 0.0
        let c = GovernanceModel.simulate(s, seed: 5) { c, day in
            let m = Double(c.hh.socialCapital.reduce(0, +)) / Double(c.hh.count)
            if day == 265 { atSwitch = m }
            if day == 538 { atEnd = m }
        }
        #expect(c.hh.socialCapital.allSatisfy { $0 >= 0 && $0 <= 1 })
        // ≈ 0.03 (0.035 before the yearly measure of issue 25 lowered the traditional activity's monthly draw).
        #expect(atSwitch > 0.02, "mean social capital at the switch \(atSwitch)")
        #expect(atEnd < atSwitch / 2, "mean social capital \(atSwitch) → \(atEnd)")
        let base = "simulation.days: 360\nsharing.enabled: true\nbaseline.participation_rate: 0.18\n"
        let with = mean(.disputes, try scenario(base), reps: 8)
        let without = mean(.disputes, try scenario(base + "sharing.social_capital.exchange_gain: 0\nsharing.social_capital.booking_gain: 0\n"), reps: 8)
        #expect(with < without, "disputes with social capital \(with), without \(without)")
    }

    /// Exchanges earn the provider points when the points scheme is on; utilisation and
    /// exchanges are finite, shares in [0, 1].
    @Test func exchangesEarnPointsAndOutputsStayInRange() throws {
        let s = try scenario("simulation.days: 240\nsharing.enabled: true\nincentives.points.enabled: true\nincentives.points.per_act: 0\nincentives.timebank.enabled: true\n")
        let c = GovernanceModel.simulate(s, seed: 11) { _, _ in }
        #expect(c.ledger.pointsIssued > 0)
        #expect(c.hh.timeBankHours.reduce(0, +) > 0)
        var c2 = c
        let row = c2.observe(day: 239)
        for (k, o) in Output.allCases.enumerated() where o == .spaceUtilization || o == .exchanges || o == .participationRate {
            #expect(!row[k].isNaN && row[k] >= 0)
            if o.isShare { #expect(row[k] <= 1) }
        }
    }
}
