import NIOCore

/// Splits an SMTP server's replies into lines (CRLF, or a bare LF), each as a string without its end.
struct SMTPReplyLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    /// The longest line accepted (RFC 5321 allows 512 octets a reply line; servers send more in
    /// their `EHLO` lists): a server sending more without a line end is cut off.
    static let maxLineLength = 8192

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maxLineLength { throw MailError("the SMTP server sent a line longer than \(Self.maxLineLength) bytes") }
            return .needMoreData
        }
        var line = buffer.readString(length: end - buffer.readerIndex) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
