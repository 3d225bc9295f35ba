package intent

import (
	"regexp"
	"strings"
)

// English triggers are patterns over englishWords text: a verb of contact with a person noun
// ("speak with an assistant", "put me through to an operator"), a manager in the same frames, a
// complaint word, a threat to go to a regulator, a bank, a court or the public, a verdict on the
// service. Negated matches ("I don't need an agent", "no complaints") do not count.

func alt(ws ...string) string { return `(?:` + strings.Join(ws, "|") + `)` }

var (
	// enPerson names someone who can take over the chat.
	enPerson = alt(`human beings?`, `humans?`, `persons?`, `live person`, `agents?`, `representatives?`, `operators?`,
		`staff(?: members?)?`, `members? of (?:staff|your team|the team|your staff)`, `employees?`, `advis[oe]rs?`,
		`consultants?`, `colleagues?`, `customer (?:service|support|care)(?: (?:team|agent|staff|representative|person|desk))?`,
		`support (?:team|staff|agent|person|desk)`, `help ?desk`, `live (?:chat|support)`, `real one`, `actual one`,
		`service desk`)
	// enSomeone is a person only in a frame that makes it one ("talk to someone", not "send it to someone").
	enSomeone = alt(`someone`, `somebody`, `anyone`, `anybody`, `assistants?`, `team`, `support`, `people`, `one of you`)
	// enBoss is someone above the agent: asking for one escalates, a complaint.
	enBoss = alt(`managers?`, `mangers?`, `supervisors?`, `boss`, `superiors?`, `management`, `head of(?: \w+){1,2}`, `higher ups?`,
		`(?:someone|somebody) (?:senior|higher up|more senior)`, `(?:someone|somebody|person|whoever is|whoever's) in charge`,
		`senior (?:staff|manager|person|agent)`, `team lead(?:er)?`)
	// enFill may stand between a verb and its person: "speak to one of your real staff".
	enFill = `(?:` + alt(`a`, `an`, `the`, `some`, `any`, `one`, `of`, `your`, `yours`, `real`, `actual`, `live`, `proper`,
		`genuine`, `living`, `breathing`, `human`, `from`, `with`, `to`, `over`, `through`, `thru`, `on`, `me`, `us`,
		`directly`, `now`, `please`, `quickly`, `just`, `right`, `away`, `again`, `another`, `different`, `other`,
		`senior`, `available`, `immediately`, `actually`, `at`, `least`, `someone`, `somebody`, `in`, `my`) + ` ){0,4}`
	enTalk     = alt(`speak`, `speaking`, `spoke`, `talk`, `talking`, `talked`, `chat`, `chatting`, `converse`, `communicate`, `discuss this`, `deal`, `dealing`) + ` ` + alt(`to`, `with`)
	enTransfer = alt(`connect(?:ed|ing)?`, `transfer(?:red|ring)?`, `put`, `pass(?:ed|ing)?`, `hand(?:ed)?`, `switch(?:ed)?`,
		`forward(?:ed)?`, `redirect(?:ed)?`, `route(?:d)?`, `escalate(?:d)?`) + `(?: ` + alt(`me`, `us`, `this`, `it`, `my chat`, `this chat`, `the chat`, `my case`) + `)?` +
		`(?: ` + alt(`over`, `through`, `thru`, `on`, `across`, `back`) + `)?` + ` ` + alt(`to`, `with`)
	enGet = alt(`get`, `give`, `bring`, `fetch`, `find me`, `want`, `need`, `request`, `prefer`, `require`, `like`, `demand`,
		`(?:can|could|may) (?:i|we) have`, `get through to`, `reach`, `put me on with`) + `(?: me| us)?`
	enNegators = setOf("not", "no", "don't", "never", "without", "didn't", "doesn't", "won't", "wouldn't", "nothing")
)

// enRule is one English pattern. A negatable rule is undone by a negator among the three words
// before its match, and any rule by one of notAfter right after it ("someone else", "human hair").
type enRule struct {
	trig      Trigger
	re        *regexp.Regexp
	negatable bool
	notAfter  map[string]bool
}

func en(trig Trigger, negatable bool, pattern string, notAfter ...string) enRule {
	if len(notAfter) == 0 {
		notAfter = personNotAfter
	}
	return enRule{trig: trig, re: regexp.MustCompile(`\b` + pattern + `\b`), negatable: negatable, notAfter: setOf(notAfter...)}
}

// personNotAfter makes a person noun something else: "someone else", "human hair", "agent's".
var personNotAfter = []string{"else", "'s", "hair", "resources", "rights", "error", "nature", "trafficking", "discount",
	"code", "number", "id", "portal", "program", "programme", "commission", "fee", "fees", "vacuum", "toy", "toys"}

// productWords make "robot" a thing on sale: "I don't want the robot vacuum".
var productWords = []string{"vacuum", "vacuums", "toy", "toys", "kit", "kits", "cleaner", "cleaners", "mop", "mower",
	"lawnmower", "arm", "dog", "pet", "lego", "costume", "model", "kitchen", "'s", "app", "apps", "game", "games"}

var enRules = []enRule{
	// complaints: the word, escalation, a manager
	en(TriggerComplaint, true, alt(`complaints?`, `complain(?:s|ed|ing)?`, `grievances?`, `reclamation`, `formal complaint`)),
	en(TriggerComplaint, true, alt(`file|make|lodge|raise|submit|register|formal|official|my|a`)+` compliant|compliant `+alt(`about`, `against`, `regarding`, `re`)),
	en(TriggerComplaint, true, `escalat(?:e|ed|es|ing|ion)`),
	en(TriggerComplaint, true, alt(enTalk, enTransfer, enGet, `see`, `call`, `where is`, `where's`, `who is`)+` `+enFill+enBoss),
	en(TriggerComplaint, true, `(?:someone|somebody|whoever|anyone|the person|people)(?: who is| who's|'s| is)? in charge`),
	// threats: regulators, banks, courts, the press, reviews
	en(TriggerComplaint, true, `report(?:ing|ed|s)? `+alt(`you`, `your \w+`, `this (?:shop|store|company|seller|business)`, `the (?:seller|shop|store|agent|courier|driver|company)`,
		`a seller`, `him`, `her`, `them`, `(?:it|this) to`)),
	en(TriggerComplaint, false, alt(`better business bureau`, `bbb`, `trading standards`, `ftc`, `ombudsman`, `cfpb`, `accc`,
		`consumer `+alt(`protection`, `affairs`, `rights`, `association`, `council`, `agency`, `watchdog`, `commission`, `tribunal`, `group`, `organi[sz]ation`, `office`, `bureau`, `authority`),
		`regulators?`, `regulatory body`, `advertising standards`, `watchdog`, `lawyers?`, `attorneys?`, `solicitors?`, `lawsuit`,
		`legal action`, `sue`, `suing`, `small claims`, `chargebacks?`, `charge back`, `charge_back`, `see you in court`,
		`(?:take|taking) (?:you|this|it|them|your \w+) to court`)),
	en(TriggerComplaint, true, alt(`call`, `calling`, `tell`, `telling`, `contact`, `contacting`, `go to`, `going to`, `write to`, `writing to`, `inform`)+
		` the `+alt(`police`, `press`, `media`, `newspapers?`, `papers`, `news`, `authorities`)),
	en(TriggerComplaint, true, alt(`open`, `opening`, `file`, `filing`, `raise`, `raising`, `start`, `starting`, `put in`, `lodge`, `do`, `doing`)+
		`(?: a| an| my)?(?: \w+)? `+alt(`dispute`, `chargeback`, `claim against`)),
	en(TriggerComplaint, true, `disput(?:e|ed|ing)`),
	en(TriggerComplaint, true, `claims? against|`+alt(`claim`, `dispute`, `case`)+` with `+alt(`my`, `the`)+` `+
		alt(`bank`, `card`, `credit card`, `card issuer`, `credit card company`, `card company`, `paypal`, `insurer`)),
	en(TriggerComplaint, false, alt(`1`, `one`, `zero`, `0`, `no`)+`[ _]?stars?(?: review| rating)?|`+
		alt(`bad`, `negative`, `terrible`, `awful`, `horrible`, `scathing`, `poor`, `honest`)+` `+alt(`reviews?`, `ratings?`, `feedback`)),
	en(TriggerComplaint, false, alt(`i'll`, `i will`, `i'm going to`, `going to`, `i am going to`, `will be`, `i'm gonna`)+`(?: \w+){0,2} `+
		alt(`post`, `posting`, `tell`, `share`, `write`, `put`, `expose`, `blast`, `spread`, `warn`)+`(?: \w+){0,6} `+
		alt(`twitter`, `facebook`, `instagram`, `tiktok`, `reddit`, `youtube`, `social media`, `the internet`, `online`, `trustpilot`,
			`yelp`, `google`, `amazon`, `weibo`, `everyone`, `everybody`, `all my friends`, `the world`, `the press`)),
	// a verdict on the service, formal dissatisfaction, compensation, fraud
	en(TriggerComplaint, true, alt(`want`, `demand`, `expect`, `deserve`, `entitled to`, `owed`, `owe me`, `require`, `claim`, `claiming`,
		`seek`, `seeking`, `need`)+`(?: \w+){0,2} compensation|compensate me`),
	en(TriggerComplaint, true, alt(`unacceptable`, `disgrace(?:ful)?`, `dissatisf\w*`, `appalling`, `outrageous`,
		`shameful`, `formal notice`, `i want to appeal`, `appeal (?:the|this|your|against)`)),
	en(TriggerComplaint, true, alt(`service`, `support`, `staff`, `agents?`, `courier`, `driver`, `delivery (?:guy|man|person|driver)`,
		`representative`, `employees?`, `attitude`, `treatment`, `experience`, `shop`, `store`, `company`, `you`, `you guys`, `you people`, `your people`)+
		`(?: \w+){0,2} `+alt(`is`, `was`, `are`, `were`, `has been`, `have been`)+`(?: \w+)? `+
		alt(`a joke`, `a disgrace`, `terrible`, `awful`, `horrible`, `appalling`, `rude`, `useless`, `pathetic`, `shocking`, `atrocious`,
			`abysmal`, `disgusting`, `the worst`, `a nightmare`, `unprofessional`, `incompetent`, `scammers`, `liars`, `thieves`, `crooks`, `frauds?`)),
	en(TriggerComplaint, false, alt(`terrible`, `awful`, `horrible`, `appalling`, `rude`, `useless`, `pathetic`, `shocking`, `atrocious`,
		`abysmal`, `worst`, `poor`, `lousy`, `unprofessional`, `disgusting`)+`(?: \w+)? `+alt(`customer service`, `service`, `support`, `staff`,
		`courier`, `driver`, `experience`, `treatment`, `attitude`, `shop`, `store`, `company`)),
	en(TriggerComplaint, true, `treat(?:ed|ing|s)? `+alt(`me`, `us`, `customers`, `your customers`, `people`)+`(?: \w+){0,2} `+alt(`badly`, `poorly`, `like`)+`|how you treat`),
	en(TriggerComplaint, true, alt(`you are`, `you're`, `you guys are`, `this is`, `this shop is`, `what a`, `such a`)+`(?: `+alt(`a`, `an`, `total`, `complete`, `absolute`, `such`)+`)? `+
		alt(`scam`, `scammers`, `fraud`, `frauds`, `fraudsters`, `rip off`, `rip_off`, `ripoff`, `con`, `thieves`, `liars`, `crooks`)),
	// a person: a verb of contact with one, "is there a human", "not a bot", a bare "agent", a call back
	en(TriggerHumanRequest, true, alt(enTalk, enTransfer)+` `+enFill+alt(enPerson, enSomeone)),
	en(TriggerHumanRequest, true, enGet+` `+enFill+enPerson),
	en(TriggerHumanRequest, true, enGet+` (?:someone|somebody)(?: \w+)? `+alt(`who`, `that`, `from`, `to help`, `to talk`, `to speak`, `to look`, `to check`,
		`to call`, `to contact`, `to sort`, `to deal`, `on the line`, `on here`, `real`, `here`, `now`, `please`)),
	en(TriggerHumanRequest, true, alt(`help`, `assistance`, `support`)+` from `+enFill+alt(enPerson, `someone`, `somebody`)),
	en(TriggerHumanRequest, true, alt(`is there`, `are there`, `is there still`)+` `+enFill+enPerson),
	en(TriggerHumanRequest, true, alt(`is there`, `are there`, `is there still`)+` `+alt(`anyone`, `anybody`, `someone`, `somebody`)+
		`(?: `+alt(`i can`, `i could`, `we can`)+` `+alt(`talk`, `speak`, `chat`)+`| `+alt(`here`, `there`, `available`, `online`, `real`, `human`, `alive`)+`| \.|$)`),
	en(TriggerHumanRequest, true, alt(`is`, `are`)+` `+alt(`a`, `an`, `any`, `the`)+`(?: `+alt(`real`, `actual`, `live`, `human`)+`)* `+enPerson+` `+
		alt(`available`, `there`, `here`, `online`, `around`, `free`, `on duty`, `awake`)),
	en(TriggerHumanRequest, false, alt(`anyone`, `anybody`, `someone`, `somebody`)+` `+alt(`real`, `human`, `alive`, `actually there`)),
	en(TriggerHumanRequest, false, `any `+alt(`real `, `actual `, `live `)+`?`+alt(`humans?`, `persons?`, `people`, `agents?`, `staff`, `representatives?`, `operators?`)+` `+
		alt(`here`, `there`, `around`, `online`, `available`, `awake`, `on duty`)),
	en(TriggerHumanRequest, false, alt(`not`, `no`, `don't`, `stop`, `quit`, `enough`, `tired of`, `sick of`, `hate`, `isn't`, `instead of`, `rather than`,
		`other than`, `without`, `no more`, `done with`, `never`, `fed up with`)+`(?: `+alt(`a`, `an`, `the`, `to`, `talk`, `talking`, `speak`, `speaking`,
		`chat`, `chatting`, `with`, `this`, `that`, `another`, `some`, `stupid`, `dumb`, `useless`, `more`, `any`, `your`, `just`, `want`, `need`,
		`being`, `deal`, `dealing`, `be`, `you`, `wasting`, `time`, `on`)+`){0,5} `+
		alt(`bots?`, `robots?`, `machines?`, `computers?`, `ai`, `chatbots?`, `chat bots?`, `automated`, `auto reply`, `autoreply`, `scripts?`, `algorithms?`)+
		`(?: `+alt(`answers?`, `replies`, `responses?`, `reply`)+`)?`, productWords...),
	en(TriggerHumanRequest, true, alt(`call`, `ring`, `phone`)+` `+alt(`me`, `us`)+`(?: back)?|call ?back|callback`),
	en(TriggerHumanRequest, true, alt(`someone`, `somebody`, enPerson)+`(?: from (?:your |the )?\w+)? (?:to )?`+
		alt(`call`, `contact`, `ring`, `phone`, `email`, `reach`, `help`, `assist`)+` `+alt(`me`, `us`)),
}

// enBare are the words a message may hold and still be nothing but a call for a person: "agent",
// "PERSON PLEASE", "customer service rep pls". At least one of enBareCore must be among them.
var (
	enBare = setOf("please", "now", "hi", "hello", "hey", "ok", "okay", "thanks", "i", "want", "need", "give", "get",
		"me", "a", "an", "the", "yes", "just", "immediately", "real", "live", "actual", "customer", "service", "care",
		"support", "chat", "being", "to", "talk", "speak", "can", "have", "one", "urgently", "right", "pronto", "again",
		".", "human", "humans", "person", "agent", "agents", "representative", "operator", "staff", "employee", "advisor",
		"someone", "somebody", "manager", "supervisor")
	enBareCore = setOf("human", "humans", "person", "agent", "agents", "representative", "operator", "staff", "employee",
		"advisor", "someone", "somebody", "manager", "supervisor")
)

// enCompounds are trigger words inside innocent phrases, joined into one word before matching.
var enCompounds = regexp.MustCompile(`\b(?:` + strings.Join([]string{
	`human (?:hair|resources|rights|body|error)`, `(?:sales|travel|customs|shipping|forwarding|real estate|estate|affiliate|insurance|booking|secret|free|brand|local|authori[sz]ed) agents?`,
	`agent provocateur`, `(?:voice|google|virtual|smart|digital|kitchen|ai) assistants?`, `(?:mobile|network|phone|tour|cell|telecom|sim|machine) operators?`,
	`worst case`, `worst_case`, `(?:is|are|be|looks?)(?: \w+)? representative of`, `warranty claims?`, `claim (?:my|the|a|your|this|free|back)`,
	`(?:delivery|contact|another|other|third) persons?`, `(?:my|our) complaints? (?:was|were|got|has been|have been|is|are|is now)(?: \w+)? (?:resolved|sorted|handled|settled|fixed|closed|dealt|answered|taken care|solved)`,
	`(?:the|my|our|a) complaints? (?:was|were|got|has been|have been|is now)(?: \w+)? (?:resolved|sorted|handled|settled|fixed|closed|dealt|answered|taken care|solved)`,
	`(?:is|was) (?:this|that|it)(?: \w+){0,5} (?:a )?scam`,
}, "|") + `)\b`)

// detectEnglish finds the triggers in w (englishWords text): the strongest one and the spans of
// every match.
func detectEnglish(w string) (Trigger, [][2]int) {
	w = enCompounds.ReplaceAllStringFunc(w, joinWords)
	found := TriggerNone
	var spans [][2]int
	for _, r := range enRules {
		for _, m := range r.re.FindAllStringIndex(w, -1) {
			if r.notAfter[nextWord(w, m[1])] || r.negatable && negatedBefore(w, m[0]) {
				continue
			}
			spans = append(spans, [2]int{m[0], m[1]})
			if found == TriggerNone || r.trig == TriggerComplaint {
				found = r.trig
			}
		}
	}
	if found == TriggerNone {
		if t := bareRequest(w); t != TriggerNone {
			return t, [][2]int{{0, len(w)}}
		}
	}
	return found, spans
}

// bareRequest: the message is only a call for a person ("agent pls", "REPRESENTATIVE"), or for a
// manager, which is a complaint.
func bareRequest(w string) Trigger {
	core, boss := false, false
	words := strings.Fields(w)
	for _, x := range words {
		if !enBare[x] {
			return TriggerNone
		}
		core = core || enBareCore[x]
		boss = boss || x == "manager" || x == "supervisor"
	}
	has := setOf(words...)
	core = core || has["live"] && (has["support"] || has["chat"]) || has["customer"] && (has["service"] || has["care"] || has["support"])
	switch {
	case boss:
		return TriggerComplaint
	case core:
		return TriggerHumanRequest
	}
	return TriggerNone
}

func nextWord(w string, end int) string {
	rest := strings.TrimLeft(w[end:], " ")
	if strings.HasPrefix(rest, "'s") {
		return "'s"
	}
	if i := strings.IndexByte(rest, ' '); i >= 0 {
		return rest[:i]
	}
	return rest
}

// negatedBefore: a negator among the three words before start, in the same clause.
func negatedBefore(w string, start int) bool {
	before := strings.Fields(w[:start])
	for i := len(before) - 1; i >= 0 && i >= len(before)-3; i-- {
		if before[i] == "." {
			return false
		}
		if enNegators[before[i]] {
			return true
		}
	}
	return false
}
