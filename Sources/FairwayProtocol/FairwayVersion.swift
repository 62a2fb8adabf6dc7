/// The version of Fairway's programs: `fairwayd --version`, `status`'s
/// `version`, and `fairwayctl --version` give this one value.
public enum FairwayVersion {
    /// The release, as `MAJOR.MINOR.PATCH`.
    public static let current = "0.1.0"
}
