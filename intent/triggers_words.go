package intent

import (
	"strings"
	"unicode"

	"github.com/baton-cs/baton/internal/textdist"
)

// English messages are matched as lower-case words joined by single spaces, with txt-speak spelled
// out, typing slips of the trigger vocabulary corrected and clause punctuation kept as " . ", so a
// pattern never reaches across a sentence.

// txtSpeak spells out chat shorthand, word for word.
var txtSpeak = map[string]string{
	"u": "you", "ya": "you", "ur": "your", "r": "are", "pls": "please", "plz": "please", "plss": "please",
	"plox": "please", "sum1": "someone", "some1": "someone", "any1": "anyone", "ne1": "anyone", "2": "to",
	"ppl": "people", "mgr": "manager", "rep": "representative", "reps": "representatives", "im": "i'm",
	"wanna": "want to", "gonna": "going to", "gotta": "got to", "lemme": "let me", "gimme": "give me",
	"dont": "don't", "cant": "can't", "wont": "won't", "isnt": "isn't", "didnt": "didn't", "doesnt": "doesn't",
	"ive": "i've", "hooman": "human", "thx": "thanks", "ty": "thanks", "asap": "now", "rn": "now",
	"costumer": "customer", "complane": "complain", "complaine": "complain", "compliants": "complaints",
}

// typoVocabulary are the words typing slips are corrected to: the ones the trigger patterns turn on
// and customers misspell. Common short words are left out (a slip of "talk" is often "walk").
var typoVocabulary = []string{
	"complaint", "complaints", "complain", "complained", "complaining", "grievance", "reclamation", "escalate",
	"escalation", "supervisor", "supervisors", "manager", "managers", "management", "representative",
	"representatives", "person", "people", "human", "humans", "agent", "agents", "operator", "assistant",
	"someone", "somebody", "anyone", "anybody", "employee", "advisor", "colleague", "lawyer", "attorney",
	"chargeback", "compensation", "ombudsman", "unacceptable", "customer", "service",
}

// realWords are dictionary words one typing slip from typoVocabulary: they are what they say, never
// corrected ("assistance" is not "assistant", "manages" not "manager"). Computed from a word list
// with textdist.LikelyTypo; inflections the patterns spell out are among them.
var realWords = setOf(strings.Fields(`acceptable acclamation adviser advisors advisory assistance assistants
	assisting attorneys colleagues commendation compensating compensations complacent complainant
	complainants complainer complainers complains complaisant compliant complying condensation customary
	customers declamation declamations declaration deescalate employe employed employees employer employers
	employes escalated escalates escalating escalations escalator excavation exclamation exhalation gents
	grievances homebody lawyers layer manage managed managements manages manger mangers moderator ombudsmen
	operation operators peopled peoples persona persons proclamation relaxation representation
	representations resistant serviced services servile someones superiors supervise supervised supervises
	supervision supervisions supervisory tanager tanagers unacceptably uncomplaining unrepresentative`)...)

var typoTargets = setOf(typoVocabulary...)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// englishWords reads t (already Normalized) as English words: letters, digits, apostrophes and
// inner hyphens make words ("person-to-person" stays one, as person_to_person); . , ! ? ; : and
// line breaks end a clause; everything else, Chinese included, separates words.
func englishWords(t string) string {
	t = strings.NewReplacer("’", "'", "‘", "'", "w/", "with ", "w/o", "without ").Replace(t)
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		w := strings.Trim(cur.String(), "'_")
		cur.Reset()
		if w == "" {
			return
		}
		words = append(words, canonicalWord(w)...)
	}
	rs := []rune(t)
	for i, r := range rs {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '\'':
			cur.WriteRune(r)
		case r == '-' && cur.Len() > 0 && i+1 < len(rs) && rs[i+1] < 0x80 && unicode.IsLetter(rs[i+1]):
			cur.WriteRune('_')
		case strings.ContainsRune(".,!?;:。，！？；：\n", r):
			flush()
			if len(words) > 0 && words[len(words)-1] != "." {
				words = append(words, ".")
			}
		default:
			flush()
		}
	}
	flush()
	return strings.Join(words, " ")
}

// canonicalWord spells out txt-speak and corrects a slip of a trigger word ("eprson" → person).
func canonicalWord(w string) []string {
	if x, ok := txtSpeak[w]; ok {
		return strings.Fields(x)
	}
	if typoTargets[w] || realWords[w] || len(w) < 5 {
		return []string{w}
	}
	best, bestDist := w, 3
	for _, v := range typoVocabulary {
		if textdist.LikelyTypo(w, v) {
			if d := textdist.Distance(w, v, 2); d < bestDist {
				best, bestDist = v, d
			}
		}
	}
	return []string{best}
}
