import BenchPlugin
import Host

/// `kooperator-bench`: the host with the product's features and the benchmark's (`bench`), for
/// `make bench` only. The product `kooperator` never links the benchmark's feature.
@main
enum BenchExecutable {
    static func main() async {
        await HostCLI.main(adding: [BenchPlugin.self])
    }
}
