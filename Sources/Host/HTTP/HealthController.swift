import DataAccess
import Foundation
import HTTPTypes
import Hummingbird
import PluginKit

/// The state of the database and of each enabled feature, for `GET /health` (``HostAPI``): 200
/// when the database answers and no feature is down, 503 otherwise.
struct HealthController: Sendable {
    struct Part: Codable, Sendable, Hashable {
        var status: String
        var reason: String?
    }

    struct Report: Codable, Sendable, Hashable {
        var status: String
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
                features[feature.id] = Part(status: "down", reason: "database unavailable")
                continue
            }
            let health = await feature.plugin.health(context: runtime.context(for: feature.id))
            features[feature.id] = Part(status: health.state, reason: health.reason)
        }
        let down = database.status == "down" || features.values.contains { $0.status == "down" }
        return Report(status: down ? "down" : "up", database: database, features: features)
    }
}
