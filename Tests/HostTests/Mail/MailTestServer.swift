import Foundation

/// A real SMTP server on loopback for the mail tests: aiosmtpd (pinned in smtp-requirements.txt,
/// installed on first use into `.build/smtp-venv`) running `smtp_sink.py`, which writes each
/// message it accepts to a folder as JSON.
final class MailTestServer {
    /// One message as the server received it.
    struct Received: Decodable {
        let from: String
        let to: [String]
        let subject: String
        let body: String
    }

    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let venv = root.appendingPathComponent(".build/smtp-venv")

    let folder: URL
    let process: Process
    let port: Int

    /// Starts a server on `port` (0: any free one) writing to `folder` (a new one when `nil`).
    init(port: Int = 0, folder: URL? = nil) throws {
        try Self.install()
        self.folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = Self.venv.appendingPathComponent("bin/python")
        process.arguments = [Self.here.appendingPathComponent("smtp_sink.py").path, self.folder.path, String(port)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        self.process = process
        var said = ""
        while !said.contains("\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            said += String(decoding: data, as: UTF8.self)
        }
        guard said.hasPrefix("ready "), let port = Int(said.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw MailTestServerError(message: "the SMTP sink did not start: \(said)")
        }
        self.port = port
    }

    /// Stops the server.
    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    /// The messages received so far, oldest first.
    func received() throws -> [Received] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted().map {
            try JSONDecoder().decode(Received.self, from: Data(contentsOf: folder.appendingPathComponent($0)))
        }
    }

    /// Makes the venv with the pinned packages unless it has them.
    static func install() throws {
        let lock = NSLock()
        lock.lock()
        defer { lock.unlock() }
        if FileManager.default.fileExists(atPath: venv.appendingPathComponent("installed").path) { return }
        try run("/usr/bin/env", ["python3", "-m", "venv", venv.path])
        try run(
            venv.appendingPathComponent("bin/pip").path,
            ["install", "-q", "--no-deps", "-r", here.appendingPathComponent("smtp-requirements.txt").path]
        )
        FileManager.default.createFile(atPath: venv.appendingPathComponent("installed").path, contents: Data())
    }

    static func run(_ program: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MailTestServerError(message: "\(program) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}

/// The test server could not be set up.
struct MailTestServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
