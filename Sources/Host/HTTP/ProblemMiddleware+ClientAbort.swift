import NIOCore
import NIOHTTP1
import OpenAPIRuntime

extension ProblemMiddleware {
    /// Whether `error` only says that the client went away before its request was read: it closed
    /// the connection mid-body, or the read timeout (`http.readTimeoutSeconds`) closed it. Nobody
    /// is left to answer, and nothing on the host failed, so it is logged as a client abort at
    /// `info` rather than as a failed request.
    static func isClientAbort(_ error: any Error) -> Bool {
        switch loggable(error) {
        case let error as HTTPParserError: error == .invalidEOFState
        case let error as ChannelError: error == .ioOnClosedChannel || error == .eof || error == .alreadyClosed
        default: false
        }
    }
}
