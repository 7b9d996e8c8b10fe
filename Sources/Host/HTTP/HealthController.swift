import DataAccess
import Foundation
import HTTPTypes
import Hummingbird
import PluginKit

/// The state of the database and of each enabled feature, for `GET /health` (``HostAPI``): 200
/// when the database answers and no feature is down, 503 otherwise. While the database is away
/// (down, restarting, failing over) the host is `degraded`, not down: it keeps running, answers
/// what needs the database with 503 and `Retry-After`, and serves again once a primary answers,
/// without a restart.
struct HealthController: Sendable {
    struct Part: Codable, Sendable, Hashable {
        var status: String
        var reason: String?
    }

    struct Report: Codable, Sendable, Hashable {
        var status: String
        /// Why the host is not up.
        var reason: String?
        var database: Part
        var features: [String: Part]
    }

    let runtime: HostRuntime

    func report() async -> Report {
        var database = Part(status: "up")
        do {
            try await runtime.database.ping()
        } catch let error as DatabaseError {
            database = Part(status: "down", reason: error.message)
        } catch {
            database = Part(status: "down", reason: "\(error)")
        }
        var features: [String: Part] = [:]
        for feature in runtime.features.enabled {
            if database.status == "down" {
                features[feature.id] = Part(status: "degraded", reason: "waits for the database")
                continue
            }
            let health = await feature.plugin.health(context: runtime.context(for: feature.id))
            features[feature.id] = Part(status: health.state, reason: health.reason)
        }
        if let reason = database.reason, database.status == "down" {
            return Report(
                status: "degraded",
                reason: "the database is unavailable (\(reason)); requests that need it answer 503 until it is back",
                database: database,
                features: features
            )
        }
        let down = features.filter { $0.value.status == "down" }.keys.sorted()
        return Report(
            status: down.isEmpty ? "up" : "down",
            reason: down.isEmpty ? nil : "down: \(down.joined(separator: ", "))",
            database: database,
            features: features
        )
    }
}
