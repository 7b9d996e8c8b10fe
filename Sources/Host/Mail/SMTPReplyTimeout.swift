import NIOCore

/// Gives up on an SMTP server that stops talking: from the connection's start and from each
/// command the client writes, the server must send a line within `timeout`, or the channel fails
/// with a ``MailError`` (which the client's read of the reply throws) and closes. So a server that
/// accepts the connection and then says nothing, or stalls mid-reply, never holds a sender.
final class SMTPReplyTimeout: ChannelDuplexHandler {
    typealias InboundIn = String
    typealias InboundOut = String
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let timeout: Duration
    let server: String
    private var timer: Scheduled<Void>?

    init(timeout: Duration, server: String) {
        self.timeout = timeout
        self.server = server
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The server spoke: the next line of the reply, or the next command's reply, gets a full period.
        arm(context)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        arm(context)
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    private func arm(_ context: ChannelHandlerContext) {
        disarm()
        let (loop, timeout, server) = (context.eventLoop, timeout, server)
        let bound = NIOLoopBound(context, eventLoop: loop)
        timer = loop.scheduleTask(in: TimeAmount(timeout)) {
            let context = bound.value
            context.fireErrorCaught(MailError("the SMTP server \(server) said nothing for \(timeout)"))
            context.close(promise: nil)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}
