import HostTestSupport
import Testing

@testable import Host

extension ConfigurationTests {
    /// The problems and the mail settings of `yaml`, with `environment`.
    func mail(_ yaml: String, environment: [String: String] = [:]) throws -> (MailSettings?, [String]) {
        let path = try HostFixture.writeConfig(yaml)
        let (configuration, problems) = LoadedConfiguration.load(path: path, environment: environment, plugins: HostFixture.plugins)
        return (configuration?.host.mail, problems.map(\.keyPath))
    }

    @Test(
        "mail: SMTP with STARTTLS and the password from the environment, sendmail, or the log; one transport; no password in the file or in plain text"
    )
    func mailSettings() throws {
        let smtp = """
            mail:
              from: kooperator@kommun.example.se
              baseUrl: https://kooperator.kommun.example.se/
              smtp: { host: smtp.kommun.example.se, user: kooperator, passwordVariable: SMTP_SECRET }
            """
        let (settings, problems) = try mail(smtp, environment: ["SMTP_SECRET": "hemligt"])
        #expect(problems.isEmpty, "\(problems)")
        let expected = MailSettings.SMTP(
            host: "smtp.kommun.example.se",
            port: 587,
            startTLS: true,
            user: "kooperator",
            password: "hemligt",
            timeout: .seconds(30)
        )
        #expect(settings?.transport == .smtp(expected))
        #expect(settings?.baseURL == "https://kooperator.kommun.example.se")
        #expect(!"\(expected)".contains("hemligt"), "the password is never printed")

        #expect(try mail(smtp).1 == ["mail.smtp.passwordVariable"], "the variable must be set")
        #expect(try mail("mail:\n  smtp: { host: smtp.example.se, user: k }").1 == ["mail.smtp.passwordVariable"])
        #expect(
            try mail("mail:\n  smtp: { host: smtp.example.se, starttls: false, user: k, passwordVariable: P }", environment: ["P": "x"]).1
                == ["mail.smtp.starttls"],
            "no password in plain text to another machine"
        )
        #expect(try mail("mail:\n  smtp: { host: 127.0.0.1, port: 2525, starttls: false }").1.isEmpty)
        #expect(try mail("mail:\n  sendmail: /bin/sh\n  smtp: { host: smtp.example.se }").1 == ["mail.sendmail"], "one transport")
        #expect(try mail("mail:\n  sendmail: sendmail").1 == ["mail.sendmail"], "an absolute path")
        #expect(try mail("mail:\n  sendmail: /bin/sh").0?.transport == .sendmail("/bin/sh"))
        #expect(try mail("mail:\n  from: 'Kooperator <k@example.se>'").1 == ["mail.from"])
        #expect(try mail("environment: development").0?.transport == .log, "nothing configured: the log")
    }
}
