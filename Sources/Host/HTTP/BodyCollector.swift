import HTTPTypes
import Hummingbird
import NIOCore

/// Collects a response body in memory (an API answer, at most a page of a list; a write's answer
/// to store with its idempotency key).
struct BodyCollector {
    final class Box {
        var bytes: [UInt8] = []
    }

    struct Writer: ResponseBodyWriter {
        let box: Box
        mutating func write(_ buffer: ByteBuffer) async throws { box.bytes += buffer.readableBytesView }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    let box = Box()
    var writer: Writer { Writer(box: box) }
    var bytes: [UInt8] { box.bytes }
}
