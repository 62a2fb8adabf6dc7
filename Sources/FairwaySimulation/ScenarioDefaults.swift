/// The scenario config `fairwayctl simulate --generate` uses when it is given
/// none: two depots with hour slots, four tiers. The same text is shipped as
/// examples/scenario.conf.
public enum ScenarioDefaults {
    /// The config file's text.
    public static let configText = """
        # A scenario config for `fairwayctl simulate`: the examples' config, and the one
        # `fairwayctl simulate --generate` makes traces for when it is given no --config.
        # simulate reads only [scheduling], the tiers and the depots.

        [daemon]
        state-directory = /var/lib/fairway   # not used by simulate

        [scheduling]
        default-depot = north
        default-tier = standard
        commit-horizon = 2                   # two hour-slots are promises
        lead-slots = 1                       # the hour now running is not bookable

        [tier.platinum]
        weight = 8
        [tier.gold]
        weight = 4
        [tier.standard]
        weight = 2
        [tier.basic]
        weight = 1

        [depot.north]
        slot-length = 1h
        capacity = 10
        [depot.south]
        slot-length = 1h
        capacity = 6

        """

    /// The name messages give the built-in config.
    public static let configName = "the built-in scenario config (examples/scenario.conf)"
}
