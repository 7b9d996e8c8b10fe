import Host

/// `kooperator`: the host with the product's features, and nothing else.
@main
enum KooperatorExecutable {
    static func main() async {
        await HostCLI.main()
    }
}
