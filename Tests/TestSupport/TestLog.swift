import Foundation
import Logging
import Synchronization

/// Where the tests' log lines go: with `KOOPERATOR_TEST_LOG_FILE` set (as `make test` does), every
/// logger of the test process (the hosts the tests build and the commands they run) writes to
/// that file at debug level, so the run can be searched afterwards for identity numbers that
/// must never be logged. Without it, loggers stay quiet unless `KOOPERATOR_TEST_LOG` is set.
public enum TestLog {
    /// The file, if logging to one.
    static let path = ProcessInfo.processInfo.environment["KOOPERATOR_TEST_LOG_FILE"].flatMap { $0.isEmpty ? nil : $0 }

    /// Installs the file handler once, before the first logger is made.
    public static let bootstrap: Void = {
        guard let path else { return }
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let file = FileLogHandler.Sink(path: path)
        LoggingSystem.bootstrap { label in FileLogHandler(label: label, sink: file) }
    }()

    /// The level test loggers use.
    static var level: Logger.Level {
        path != nil || ProcessInfo.processInfo.environment["KOOPERATOR_TEST_LOG"] != nil ? .debug : .critical
    }
}

/// Appends log lines to a file.
struct FileLogHandler: LogHandler {
    final class Sink: Sendable {
        let handle: Mutex<FileHandle?>
        init(path: String) { handle = Mutex(FileHandle(forWritingAtPath: path)) }
        func write(_ line: String) {
            handle.withLock { handle in
                handle?.seekToEndOfFile()
                handle?.write(Data(line.utf8))
            }
        }
    }

    let label: String
    let sink: Sink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        sink.write("\(label) \(event.level) \(event.message) \(fields)\n")
    }
}
