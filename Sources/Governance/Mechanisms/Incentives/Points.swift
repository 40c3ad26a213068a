import Foundation
import SimCore
import SimConfig

/// Points (积分): the month-end crediting of acts and the redemption of balances.
extension Incentives {
    /// Month end: acts not credited by kind earn `per_act` points (targeted households, scheme
    /// on); then holders redeem their balance with the redemption probability (also after the
    /// scheme is switched off: points already issued stay redeemable).
    func creditAndRedeemPoints(_ c: inout Community, _ p: IncentiveSettings.Points) {
        var issued = 0.0, redeemed = 0.0
        for h in 0..<c.hh.count {
            let a = c.hh.acts[h]
            if p.enabled, p.perAct > 0, c.earnsPoints(h) {
                let uncredited = Int(a &- c.incentives.actsSeen[h]) - Int(c.incentives.credited[h])
                if uncredited > 0 {
                    let pts = Double(uncredited) * p.perAct
                    let before = c.hh.points[h]
                    c.hh.points[h] += Float(pts)
                    issued += Double(c.hh.points[h]) - Double(before)  // what the balance gained (see earnPoints)
                }
            }
            c.incentives.actsSeen[h] = a
            c.incentives.credited[h] = 0
            let balance = c.hh.points[h]
            if balance > 0, rng.uniform() < p.redeemProbability {
                redeemed += Double(balance)
                c.hh.points[h] = 0
            }
        }
        if issued > 0 { c.ledger.issuePoints(issued) }
        if redeemed > 0 {
            let cost = redeemed * p.yuanPerPoint
            c.ledger.redeemPoints(redeemed, cost: cost)
            c.incentives.cost[0] += cost
        }
    }
}
