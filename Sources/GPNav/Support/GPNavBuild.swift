/// Facts about this build of gpnav, for `--version` and the server's `gpnav_build_info` metric.
public enum GPNavBuild {
    /// The release version.
    public static let version = "0.1.0"
}
