import Testing

@testable import GPNav

@Suite struct CommandTemplateTests {
    @Test(arguments: [
        ("run {trial}", #"run "${GPNAV_TRIAL}""#),
        ("run '--name={study}.x'", #"run '--name='"${GPNAV_STUDY}"'.x'"#),
        (#"run "{config}""#, #"run "${GPNAV_CONFIG}""#),
        (#"a "it's {study}" '"{trial}"'"#, #"a "it's ${GPNAV_STUDY}" '"'"${GPNAV_TRIAL}"'"'"#),
        (#"echo $(cat '{config}') `echo {study}`"#, #"echo $(cat ''"${GPNAV_CONFIG}"'') `echo "${GPNAV_STUDY}"`"#),
        ("x=$(( {trial} * (2 + 1) )) {trial}", #"x=$(( ${GPNAV_TRIAL} * (2 + 1) )) "${GPNAV_TRIAL}""#),
        (#""$(printf %s '{study}')""#, #""$(printf %s ''"${GPNAV_STUDY}"'')""#),
        ("train --seed {seed}", #"train --seed "${GPNAV_SEED}""#),
    ])
    func placeholdersBecomeVariableReferencesFittingTheirQuoting(template: String, script: String) {
        #expect(CommandTemplate(template: template).script == script)
    }

    @Test func unknownBracesAndEscapedPlaceholdersStayText() {
        #expect(CommandTemplate(template: #"run {x} \{trial} {trial}{ {"#).script == #"run {x} \{trial} "${GPNAV_TRIAL}"{ {"#)
    }

    @Test func theScriptNeverHoldsAValue() {
        let environment = CommandTemplate.environment(config: "/c fg", trial: 3, study: "s'x", seed: 2, slot: 1)
        #expect(environment == ["GPNAV_CONFIG": "/c fg", "GPNAV_TRIAL": "3", "GPNAV_STUDY": "s'x", "GPNAV_SEED": "2",
                                "GPNAV_SLOT": "1"])
        #expect(!CommandTemplate(template: "a {study} '{study}' \"{study}\"").script.contains("s'x"))
    }

    @Test func aFirstTrainingRunsWithSeedZero() {
        #expect(CommandTemplate.environment(config: "c", trial: 0, study: "s")["GPNAV_SEED"] == "0")
    }

    @Test func theSlotPlaceholderFollowsTheQuotingAsTheOthersDo() {
        #expect(CommandTemplate(template: #"train --slot {slot} '{slot}' "{slot}""#).script
                == #"train --slot "${GPNAV_SLOT}" ''"${GPNAV_SLOT}"'' "${GPNAV_SLOT}""#)
        #expect(CommandTemplate.environment(config: "c", trial: 0, study: "s")["GPNAV_SLOT"] == "0")
    }
}
