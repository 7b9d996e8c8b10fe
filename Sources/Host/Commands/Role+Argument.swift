public import ArgumentParser
public import PluginKit

/// `kooperator users add --role officer`.
extension Role: ExpressibleByArgument {}
