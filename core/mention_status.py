"""Whether a sign mentioned in a message is happening now, or denied, over, or only asked about.

Works on regular text (core/patient_text.py). A message is cut into clauses at sentence ends
and at words that turn to a new thought ("but", "however", "and now"), so "no fever, but I've
lost control of my bladder" holds a denied sign and a current one. Then, for one sign in one
clause:
- a negation counts only shortly before the sign and with nothing in between that starts a new
  statement ("no fever" denies; "I don't know why, I wet myself" does not);
- "what if", "in case", "can it cause" make it a question about signs in general, unless the
  person goes on to say they have it ("is it a red flag that I've wet myself?");
- "years ago", "as a kid", "used to" put it in the past unless "now", "today", "since" or
  "again" bring it back; "gone now", "better now" say it is over.
"""

from __future__ import annotations

import re
from typing import List, Tuple

CURRENT = "current"
DENIED = "denied"
PAST = "past"
HYPOTHETICAL = "hypothetical"

_CLAUSE_BREAK = re.compile(
    r"(?:[!?;\n]|(?<!\.)\.(?![\d.]))+|"
    r"\s*\b(?:but|however|although|though|whereas|except|yet|apart from|"
    r"other than|and now|and then|and since|now that)\b|,\s*(?:and\s+)?now\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:no|not|never|without|none|nor|neither|nothing|don't|doesn't|didn't|haven't|hasn't|"
    r"hadn't|isn't|aren't|wasn't|weren't|denies|deny|denied|free of|ruled out|"
    r"negative for|zero|nothing like|no sign of|no signs of|absence of)\b",
    re.IGNORECASE,
)
# Phrases that contain a negation word but deny nothing.
_PSEUDO_NEGATION = re.compile(
    r"\b(?:no idea|no clue|no reason|no warning|no way of|not sure|not only|not just|"
    r"no matter|not even sure|nothing (?:seems|helps|works|eases|stops)|"
    r"never (?:stops|lets up|eases|goes away|settles|switches off|ends|gets better)|"
    r"without (?:any )?(?:warning|meaning|wanting|realising|realizing|knowing|noticing|"
    r"feeling it|trying|reason|being able)|"
    r"(?:don't|do not|didn't|dont) (?:know|understand|get) (?:why|how|what|if|whether)|"
    r"(?:can't|cannot|couldn't) (?:explain|understand|tell) (?:why|how|what|if|whether)|"
    r"not (?:normal|right|good|great|okay|ok|well)|isn't (?:normal|right)|"
    r"(?:can't|cannot|couldn't|won't|doesn't|isn't|aren't|wasn't|didn't|don't) "
    r"(?:stop|go away|settle|ease|get better|improve|help|seem to|even|believe|let up))\b",
    re.IGNORECASE,
)
# Words between a negation and the sign that start a new statement end the negation's reach.
_SCOPE_END = re.compile(
    r"\b(?:and (?:i|i'm|i've|my|me|he|she|his|her|they|it|now|then|suddenly|also)|"
    r"so|which|who|because|since|when|while|until|after|then|just|only|instead|i|i'm|i've|"
    r"my|he|she|his|her|they|their)\b|[,:]\s*(?:i|my|he|she|it|now|and|then)\b",
    re.IGNORECASE,
)
NEGATION_REACH_WORDS = 6
_LIST_GOES_ON = re.compile(r"\b(?:or|nor|and no|any)\b", re.IGNORECASE)
# "my legs aren't weak": a denial inside the words that matched. Signs themselves say "can't",
# "won't" and "doesn't" ("my foot doesn't lift"), so only these count.
_NEGATION_INSIDE = re.compile(
    r"\b(?:isn't|aren't|wasn't|weren't|is not|are not|was not|were not|never|not at all|"
    r"not really|no longer|no (?=weaker|worse|different))\b"
    r"(?!\s+(?:even |really |quite )?(?:there|working|able|emptying|empty|"
    r"coming|responding|holding|lifting|moving|listening|doing|walking|putting|crawling|"
    r"standing|bearing|rising|getting|stops|lets|eases|settles|ends|goes|switches|gets|touching|"
    r"mine))|"
    r"\b(?:doesn't|don't|didn't|does not|do not|did not)\b(?!\s+(?:even |really |seem to |just )?"
    r"(?:lift|ease|help|settle|stop|go|let|get|work|respond|react|matter|improve|change|calm|empty|"
    r"come|start|flow|feel|notice|know|seem|want|hold|support|take|move|pull|straighten|realise|"
    r"realize|sense|have|bear|make|stand|walk))",
    re.IGNORECASE,
)
# "mine is just pain, nothing like that": the person denies having what they just described.
_DENIED_LATER = re.compile(
    r",\s*(?:(?:mine|mine's|i)\b[^,]{0,40})?nothing like that\b(?!\s+(?:before|ever|happened))",
    re.IGNORECASE,
)
# A denial written after the sign: "fever: none", "bladder and bowels are fine".
_DENIED_AFTER = re.compile(
    r"^\s*(?:[:\-–?]\s*)?(?:no|none|nope|negative|nil|denied|not really)\b"
    r"(?!\s+(?:idea|clue|reason|warning|joke|way|matter))|"
    r"^\s*(?:[:\-–]\s*)?(?:(?:is|are|seem|seems|feel|feels|has been|have been|was|were)\s+)?"
    r"(?:fine|normal|ok|okay|all good|unaffected|no problem|working (?:fine|normally)|strong|"
    r"good|alright|all right|perfect|perfectly fine|the same as (?:ever|always))\b|"
    r"^\s*(?:(?:is|are|feel|feels|seem|seems|was|were)\s+)?no (?:weaker|worse|different)\b",
    re.IGNORECASE,
)
# "what if", "in case", "next week": the sign is imagined, not reported.
_CONDITIONAL = re.compile(
    r"\b(?:what if|what (?:would|will|should) (?:happen|i do)|what happens if|if(?=\s*$)|"
    r"(?<!tell )(?<!sure )(?<!know )(?<!wonder )(?<!see )(?<!check )(?<!ask )(?<!asking )"
    r"if (?:i|you|he|she|they|my|your|his|her|someone|somebody|anyone|a person|one|it|this|"
    r"there'?s?|the|we|our|ever|both|all|any|either|one of|a|an|these|those)\b|in case|"
    r"should i (?:get|develop|notice|start)|suppose|"
    r"supposing|hypothetical\w*|imagine|let'?s say|"
    r"(?:^\W*|\b(?:so|ok|okay|and|just) )say (?:i|my|he|she|you|we|someone|the|it|that|this)\b|"
    r"watch (?:out )?for|look(?:ing)? out for|keep an eye (?:out )?for|be aware of|"
    r"(?:scared|afraid|frightened|terrified) of|fear of|at what point|"
    r"warned (?:me |us )?(?:about|of)|told (?:me |us )?(?:about|to watch|what to)|"
    r"at some point|in the future|for future reference|(?:next|this coming) (?:week|month|year)|"
    r"tomorrow|going to (?:start|have|be on)|about to (?:start|have)|due to (?:start|have))",
    re.IGNORECASE,
)
# "can it cause", "what are the warning signs": a question about signs in general.
_GENERAL_QUESTION = re.compile(
    r"\b(?:(?:can|could|does|do|would|will|might|may) (?:it|this|that|psoas|iliopsoas|the psoas|"
    r"these|tight|a tight|problems?|iliopsoas syndrome|hip flexors?)\b.{0,40}?"
    r"\b(?:cause|lead|give|make|result|mean|trigger|bring)|"
    r"is it possible (?:to|that it|for)|"
    r"(?:can|could|might|will|would|do|does) (?:i|you|one|he|she|someone|people|this|it) "
    r"(?:\w+ )?(?:end up (?:with|having)|develop|be at risk of)\b|(?:risk|chances?) of (?:getting|"
    r"developing|ending up)|"
    r"(?:what|which) (?:are|is|would be|counts as) (?:the )?(?:signs?|symptoms?|warning|red flags?|"
    r"dangers?)|warning signs?|red flags?|danger signs?|"
    r"when (?:should|do|would|must|does|is|are)\b|how (?:do|would|can|will) "
    r"(?:i|you|one|we) (?:know|tell)|"
    r"is (?:it|that) (?:ever )?(?:serious|dangerous|an emergency) if|"
    r"(?:symptoms?|signs?) (?:of|like|such as)|such as|things like|for example|on a forum|"
    r"(?:say|says|said|saying) (?:that )?(?:[\w']+ ){0,6}?means?\b|who gets (?:it|them)|"
    r"(?:ask|asks|asking|asked) (?:me |you |us )?(?:if|whether|about)\b(?! (?:my|our|his|her) )|"
    r"(?:read|heard|saw|seen|mentioned) (?:\w+ ){0,3}(?:about|online|on the internet|on tiktok)|"
    r"^\W*(?:would|does|do|could|can|is|are|will)\b(?=.*\b(?:mean|indicate|be a sign|a sign of|"
    r"be serious|be bad|be an emergency|a red flag|a warning sign|count as)\b))",
    re.IGNORECASE,
)
# After a question about signs, saying one is there now makes it a report.
_ASSERTION = re.compile(
    r"\b(?:that|because|as|since|now) (?:i|i'm|i've|i'd|my|me|he|she|his|her|they|their|"
    r"we|our|it's|mum|dad|son|daughter|husband|wife)\b",
    re.IGNORECASE,
)
# "is it serious if I can't move my leg?", "is it normal when your hip is stuck bent": a
# question about a state the person is in now, not a conditional.
_ASKS_ABOUT_OWN_STATE_IF = re.compile(
    r"\b(?:is|isn't) (?:it|this|that) (?:[\w']+ ){0,3}(?:if|when) (?:(?:i|you|he|she|my|his|her|"
    r"your|we|they|it|the) (?:\w+ ){0,5}?(?:have|has|am|'m|is|are|can't|cannot|keep|keeps|feel|"
    r"feels|looks?|seems?|went|gone|got)\b|it's|i'm|he's|she's|they're)",
    re.IGNORECASE,
)
# "is it normal that I can't feel myself peeing?" asks about something the person has now.
_ASKS_ABOUT_OWN_STATE = re.compile(
    r"^\W*(?:(?:so|ok|okay|um|hi|hey|and|but)\W+)?(?:is (?:it|this|that) (?:normal|ok|okay|bad|"
    r"weird|serious|dangerous|a problem|common|worrying|concerning|something)|"
    r"is (?!.*\bever\b)(?:a |an |the |my |this )?(?:[\w']+ ){1,3}"
    r"(?:normal|ok|okay|common|usual)\b)",
    re.IGNORECASE,
)
_QUESTION_OPENER = re.compile(
    r"^\W*(?:(?:sir|madam|doc|doctor|hi|hello|hey|please|ok|okay|so|and|but|just)\W+)*"
    r"(?:is|are|does|do|can(?!'t)|could|what|what's|whats|how|why|should|would|which|will)\b",
    re.IGNORECASE,
)
# "what's new is ...", "what I have is ...": a statement that opens like a question.
_PSEUDO_CLEFT = re.compile(
    r"^\W*what(?:'s| is| has) (?:new|different|changed|worrying|weird|strange|odd|scary|"
    r"bothering (?:me|him|her)|worrying (?:me|him|her)|happening now|happened|"
    r"the (?:new|main|worst|real|scary|weird) (?:thing|bit|part|problem)) (?:is|was|are)\b|"
    r"^\W*what (?:i|i've|i'm|he|she|my \w+) (?:\w+ ){0,3}(?:is|was)\b",
    re.IGNORECASE,
)


def _opens_as_a_question(clause: str) -> bool:
    return bool(_QUESTION_OPENER.search(clause)) and not _PSEUDO_CLEFT.search(clause)


# "should I ...", "do I ...": the one asking, not a person the sign happens to.
_ASKER = re.compile(r"^\W*\w+\s+(?:i|we|you)\b", re.IGNORECASE)
_PERSON = re.compile(
    r"\b(?:i|i'm|i've|i'd|me|my|mine|myself|he|she|him|his|hers|we|us|our)\b",
    re.IGNORECASE,
)
_OVER = re.compile(
    r"\b(?<!n't )(?<!not )(?<!never )(?:(?:gone|went|go) away|"
    r"(?:it's|it has|it had|has|have|had|they've|they have|all|now) "
    r"gone(?=\s*(?:$|,|\.|now|completely|since|again|and\b|but\b))|gone now|now gone|"
    r"(?:cleared(?: up)?|settled(?: down)?|resolved|disappeared|wore off|worn off)(?! \w+ing)|"
    r"(?<!other leg )(?<!other side )(?<!other one )(?<!left one )(?<!right one )(?<!otherwise )"
    r"(?:got|get|getting|is|are|been|all|totally|completely|fully) "
    r"(?:much |a lot |loads )?(?:better|fine|normal|back to normal|healed|recovered|sorted)"
    r"(?! otherwise| in (?:him|her|my|them)sel(?:f|ves))|"
    r"(?<!otherwise )(?:better|fine|normal|recovered|ok|okay|good|well) now|"
    r"doing (?:well|fine|great|ok|okay)|recovered|fully healed|all sorted|"
    r"sorted (?:itself )?out|sorted now|no longer|not any ?more|long gone|"
    r"(?:made a )?full recovery|back to normal|turns out|"
    r"nothing (?:else )?since(?=\s*(?:$|,|\.|then))|"
    r"(?:hasn't|has not|haven't|never) (?:\w+ )?(?:happened|come back|returned|had it) since|"
    r"went (?:with)?in (?:a|an|the|\w+) (?:day|days|hour|hours|week|few)|"
    r"(?:which|it|that) went (?:after|away|by itself|on its own|on (?:mon|tues|wednes|thurs|fri|"
    r"satur|sun)day|by (?:mon|tues|wednes|thurs|fri|satur|sun)day)|"
    r"never (?:again|since)|not since|"
    r"turned out to be|turned out (?:that|it was|fine|ok|okay|nothing|just|well)\b|"
    r"(?:he|she|they|i)(?:'s|'ve| has| have| is)? (?:\w+ )?(?:had|been through) "
    r"(?:the |an |his |her |my )?(?:op|operation|surgery)|back at work|back to work|in remission|"
    r"(?:been|is|are) (?:clean|well|fine|ok|okay) (?:for|since|now)|"
    r"came back (?:normal|clear|negative|fine)|all clear|was fine after|were fine after|"
    r"off (?:it|them) (?:now|for|since)|gone by \w+)\b",
    re.IGNORECASE,
)
OVER_REACH_CHARACTERS = 60
# "could gout cause a hot swollen hip? mine came up suddenly": the question was about their own.
_MINE_NEXT = re.compile(
    r"^\W*(?:(?:it|this|that|mine) (?:has )?(?:only |just )?(?:started|began|came on)|"
    r"(?:only |just )?(?:started|began|came on)\b|"
    r"mine(?! (?:is|'s|are|feels?|seems?) (?:just|only|fine|ok|okay|normal|not|nothing|good))|"
    r"i have (?:it|that|this|one)|"
    r"i've got (?:it|that|this|one)|"
    r"that's (?:me|what i))\b",
    re.IGNORECASE,
)
# Someone else's story: the person is another (friend, neighbour), not the one writing.
_THIRD_PERSON = re.compile(
    r"^\W*(?:mum|mom|mam|dad|mother|father|gran|grandma|grandad|grandpa|nan|brother|sister|"
    r"husband|wife|partner|friend|uncle|aunt|cousin)\b|"
    r"\b(?:he|she|his|her|they|their|(?:my|our|a) (?:\w+ )?(?:friend|mate|neighbou?r|colleague|"
    r"coworker|co-worker|teammate|cousin|aunt|uncle|brother|sister|dad|mum|mom|father|mother|"
    r"husband|wife|partner|son|daughter|gran\w*|grand\w*|roommate|flatmate|boss))\b|"
    # A stranger, unless the writer is in the same clause ("someone went into the back of us").
    r"^(?!.*\b(?:me|us|we|i|i'm|i've)\b).*\b(?:(?:a|some|this|one|that) (?:guy|bloke|man|woman|"
    r"lady|girl|boy|person|patient|runner|footballer|player|celebrity|influencer)|someone|"
    r"somebody|people)\b",
    re.IGNORECASE,
)
# A story read or watched somewhere: whoever it happened to, it is not the writer's now.
_MEDIA_STORY = re.compile(
    r"\b(?:on|from|in) (?:a |the )?(?:tiktok|reddit|youtube|instagram|insta|facebook|twitter|"
    r"forum|news|telly|tv|podcast|documentary|internet|google|video|article|post|thread)\b|"
    r"\bonline\b|\bdr google\b",
    re.IGNORECASE,
)
# After someone else's story, the writer's own, different state.
_MY_OWN_IS_DIFFERENT = re.compile(
    r"\b(?:(?:my|mine)\b.{0,30}\b(?:is|are|'s) (?:just|only)|i'm the one|i am the one|"
    r"(?:my|mine)\b.{0,30}\b(?:is|are|'s|feels?|seems?) (?:totally |completely |perfectly )?"
    r"(?:fine|ok|okay|normal|good|all good|alright|all right)\b|for comparison|to compare|"
    r"i(?:'m| am) the patient|(?:asking|here|writing) (?:for|about) myself|"
    r"i'm (?:just |only )?(?:here|asking|writing|typing) (?:about|for) (?:my|me)|"
    r"i'm (?:a bit )?paranoid|my own|(?:worried|scared|paranoid|afraid) (?:that )?(?:mine|i|my)\b|"
    r"i(?:'m| am) (?:\d+ and )?healthy|i (?:haven't|have not) (?:lost|had|got)|these days|"
    r"i haven't\b|(?:that's|that is|it's) not happening to me|i just have|i only have|"
    r"(?:i've|i have|i) (?:never|not) had|(?:i've|i have) (?:just |only )?got|"
    r"not (?:related to|about) me|(?:this|it) (?:isn't|is not) about (?:him|her|them)|"
    r"it's (?:me|for me)|i'm not (?:on|worried|having)|i'm fine|i keep wondering|"
    r"just (?:curious|wondering|asking)|in general|"
    r"i've actually)",
    re.IGNORECASE,
)
# How someone else's story ended: it is over for them.
_STORY_OUTCOME = re.compile(
    r"\b(?:needed (?:an? )?(?:emergency |urgent |big )?(?:op|operation|surgery)|"
    r"had (?:an? |the )?(?:op|operation|surgery)|"
    r"pinned|beat it|ended up in hospital|passed away|died|"
    r"(?:it|which) (?:was|turned out to be) (?:just )?(?:a|an) (?!bit\b|little\b|lot\b)\w+|"
    r"playing (?:\w+ )?again|back (?:at work|to normal|playing(?! up))|been clear|in remission|"
    r"sorted (?:it|him|her|them)|fully recovered|(?:he|she|they) (?:was|were) (?:fine|ok|okay|"
    r"alright|all right) (?:after|afterwards|in the end|later|again)|"
    r"(?:he|she|they) (?:was|were) (?:fine|ok|okay)(?=\s*(?:$|[,.]))|"
    r"now (?:he|she|they)(?:'s| is| are|'re) (?:\w+ )?(?:good|fine|ok|okay|well|better|recovered|"
    r"grand|alright|all right)|(?:he|she|they)(?:'s| is| are|'re) (?:\w+ )?(?:good|fine|ok|okay|"
    r"well|better|recovered|grand|alright|all right) now)\b",
    re.IGNORECASE,
)
# The next clause putting it in the past: "I couldn't wee for a day, but that was 3 years ago".
_PAST_NEXT = re.compile(
    r"^\W*(?:that|it|this)(?:'s| was| were| is| happened)\s+(?!(?:fine|ok|okay|normal|good|"
    r"alright)\b)(?:\w+\s+){0,6}?"
    r"(?:(?<!hour )(?<!hours )(?<!minute )(?<!minutes )(?<!min )(?<!mins )(?<!day )(?<!days )"
    r"(?<!seconds )ago|years|in (?:19|20)\d\d|back in|when (?:i|he|she) was|long ago|ages ago)\b",
    re.IGNORECASE,
)
# "our dog is limping and has a temperature": an animal, not a person.
_ANIMAL = re.compile(
    r"\b(?:our|my|the|his|her) (?:dog|cat|puppy|kitten|horse|pony|pet|rabbit)(?: is| has| was| "
    r"keeps| seems| started| had| can't)\b",
    re.IGNORECASE,
)
# "my late mother": someone who has died.
_LATE_PERSON = re.compile(r"\b(?:my|his|her|our) late \w+", re.IGNORECASE)
# "a colleague's leg kept giving way, how common is that?": the story leads to a general question.
_GENERAL_NEXT = re.compile(
    r"(?:^|[,;])\W*(?:how (?:common|likely|often|rare|usual)|"
    r"is (?:that|it|this) (?:common|normal|usual|rare|a thing|true)|does that (?:happen|mean)|"
    r"could that|should i (?:be )?(?:checking|worried))",
    re.IGNORECASE,
)
# The next clause denying it: "would chest pain mean ...? I don't have any".
_DENIED_NEXT = re.compile(
    r"^\W*(?:i|he|she|they|we)\s+(?:don't|doesn't|do not|does not|haven't|hasn't|have not|"
    r"has not)\s+(?:have|got|had)?\s*(?:any|it|that|them|those|this)\b",
    re.IGNORECASE,
)
# The next clause saying it is over: "I had a fever last week, but it's gone now".
_OVER_NEXT = re.compile(
    r"^\W*(?:(?:it|that|this|they|those|which|he|she|the \w+)(?:'s| is| has| have| had| was)?\s*)?"
    r"(?:\w+\s+){0,2}(?:long gone|went away|"
    r"gone(?=\s*(?:$|[,.]|now|completely|away|again|and\b|but\b))|"
    r"went on|went by|cleared|settled|resolved|stopped|fine now|better now|all gone|all fine|"
    r"disappeared|passed|wore off|sorted|gone by|(?:is |all |has )?healed)\b",
    re.IGNORECASE,
)
_LONG_AGO = re.compile(
    r"\b(?:\d+|a few|few|several|many|two|three|four|five|six|ten|some|couple of|a couple of)?"
    r"\s*(?:years?|yrs?|decades?|months?|summers?|winters?|seasons?|weeks?) ago\b|"
    r"\b(?:\d+|two|three|four|five|six|ten|many|several) years? before (?:i|he|she|this|that)\b|"
    r"\blong (?:time )?ago\b|\bages ago\b|\ba while (?:back|ago)\b|\byears back\b|"
    r"\bas a (?:kid|child|teen(?:ager)?|baby|boy|girl|student)\b|"
    r"\b(?:once|back|when i was) in (?:my|his|her) (?:teens|twenties|thirties|forties|fifties|"
    r"sixties|[2-6]0s)\b|"
    r"\bwhen (?:i|he|she|we|they) (?:was|were) (?:young|younger|little|small|a kid|a child|"
    r"a teen(?:ager)?|a baby|pregnant|\d+)\b|\bin (?:19|20)\d\d\b|\bused to\b|"
    r"\bback in (?:(?:19|20)\d\d|the|jan\w*|feb\w*|march|april|may|june|july|aug\w*|sept?\w*|"
    r"oct\w*|nov\w*|dec\w*|spring|summer|autumn|fall|winter|school|college|uni|high school|my)\b|"
    r"\bin the (?:19)?\d0'?s\b|\blast (?:year|winter|summer|spring|autumn|fall|month|"
    r"christmas|jan\w*|feb\w*|march|april|may|june|july|aug\w*|sept?\w*|oct\w*|nov\w*|"
    r"dec\w*)\b|\bback when\b|\bbefore (?:the|my|his|her) (?:op|operation|surgery)\b|"
    r"\bfreshman year\b|\bin (?:high school|college|uni)\b|"
    r"\bat (?:age )?1?\d\b(?!\s*(?:am|pm|mph|km|o'clock|%|degrees|:|\.\d|c\b|f\b))|"
    r"\bonce before\b|\bin the past\b|\bpreviously\b|\bhistory of\b|"
    r"\bafter (?:my|her|his) (?:birth|delivery)\b|"
    r"(?<!at )(?<!all at )\bonce\b(?! (?:a|again|more|or|i|you|it|the|he|she|we|they|my|i'm))|"
    r"\bin (?:jan|feb|march|april|june|july|aug|sept?|oct|nov|dec)\w*\b|"
    r"\bin the (?:summer|winter|spring|autumn|fall)\b|\bgone by \w+\b|"
    r"\bover (?:christmas|the holidays|new year|easter)\b|\bit's (?:19|20)\d\d\b",
    re.IGNORECASE,
)
_NOW = re.compile(
    r"\b(?:now|today|tonight|this (?:morning|afternoon|evening|week)|since|currently|"
    r"at the moment|right now|still|again|started|starting|new|recently|suddenly|keeps?|"
    r"last night|yesterday|these days|lately|anymore|any more|for the (?:last|past) \w+|"
    r"i'm on|i am on|(?:he|she)'s on|(?:he|she) is on|i take|takes|i'm taking|i am taking)\b",
    re.IGNORECASE,
)
# A comma segment that only says when: ", many years ago,".
_ONLY_LONG_AGO = re.compile(
    r"^\s*(?:about |around |like |roughly |oh )?(?:" + _LONG_AGO.pattern + r")\s*(?:$|,)",
    re.IGNORECASE,
)
# "I'm 30 now" tells the age today, not that the sign is back.
_AGE_NOW = re.compile(
    r"\b(?:i'm|i am|he's|she's|he is|she is|they're|now) (?:\d+|an adult|grown up)(?: now)?\b"
    r"|\b\d+ now\b|\bago now\b",
    re.IGNORECASE,
)
# A pattern marked (?#history) is a standing fact (a transplant, a medicine taken for years):
# a mention of when it began does not put it in the past.
HISTORY_MARK = "(?#history)"
# A pattern marked (?#lasting) is an event that matters even when it is over ("he collapsed,
# came round and says he's fine now"): "fine now" does not make it past.
LASTING_MARK = "(?#lasting)"
# An `unless` pattern marked (?#denial) is a denial itself ("I'm not on any blood thinners").
DENIAL_MARK = "(?#denial)"


def clauses(text: str) -> List[Tuple[int, str]]:
    """The text's clauses, each with the offset where it starts."""
    found, start = [], 0
    for separator in _CLAUSE_BREAK.finditer(text):
        found.append((start, text[start : separator.start()]))
        start = separator.end()
    found.append((start, text[start:]))
    return [(offset, clause) for offset, clause in found if clause.strip()]


def _negated_before(clause: str, start: int) -> bool:
    cleaned = _PSEUDO_NEGATION.sub(lambda match: "_" * len(match.group(0)), clause[:start])
    negations = list(_NEGATION.finditer(cleaned))
    if not negations:
        return False
    between = cleaned[negations[-1].end() :]
    if len(between.split()) > NEGATION_REACH_WORDS or _SCOPE_END.search(between):
        return False
    if "," in between:
        # "no fever, chills or sweats" lists what is denied; "no injury, sudden severe pain
        # ..." denies the injury and then reports the pain.
        after_comma = clause[negations[-1].end() + between.rindex(",") + 1 :]
        return bool(_LIST_GOES_ON.search(re.split(r"[,;.]", after_comma)[0]))
    return True


def _over(clause: str, start: int, end: int) -> bool:
    """An "it's gone now" near the sign (the sign's own words do not count: "morning erections
    have disappeared" is the sign)."""
    return any(
        0 <= start - found.end() <= OVER_REACH_CHARACTERS
        or 0 <= found.start() - end <= OVER_REACH_CHARACTERS
        for found in _OVER.finditer(clause)
    )


def _asked_about(before: str, question: re.Pattern) -> bool:
    found = list(question.finditer(before))
    return bool(found) and not _ASSERTION.search(before[found[-1].end() :])


def mention_status(
    clause: str,
    start: int,
    end: int,
    history_counts: bool = False,
    following: str = "",
    lasting: bool = False,
) -> str:
    """CURRENT, DENIED, PAST or HYPOTHETICAL for the sign at clause[start:end]; `following` is
    the next clause ("I had a fever, but it's gone now")."""
    before, after = clause[:start], clause[end:]
    denied_inside = _NEGATION_INSIDE.search(clause[start:end])
    # "is a limp normal in a 6 year old?" asks; "bladder normal" answers.
    denied_after = _DENIED_AFTER.search(after) and not _ASKS_ABOUT_OWN_STATE.search(clause)
    if _negated_before(clause, start) or denied_inside or denied_after:
        return DENIED
    if _DENIED_LATER.search(after):
        return DENIED
    if _DENIED_NEXT.match(following):
        return DENIED
    own_state = _ASKS_ABOUT_OWN_STATE.search(clause)
    # "is groin pain a worry if I'm on Eliquis? It started this afternoon."
    own_state_if = _ASKS_ABOUT_OWN_STATE_IF.search(clause) or _MINE_NEXT.match(following)
    # The first word of the match can be the conditional's subject: "say I started leaking".
    before_and_subject = clause[: start + len(clause[start:end].split(" ")[0])]
    if _asked_about(before_and_subject, _CONDITIONAL) and not own_state_if:
        return HYPOTHETICAL
    if _asked_about(before, _GENERAL_QUESTION) and not (own_state or _MINE_NEXT.match(following)):
        return HYPOTHETICAL
    asked_in_general = not _PERSON.search(_ASKER.sub("", clause))
    if (
        _opens_as_a_question(clause)
        and asked_in_general
        and not (own_state or _MINE_NEXT.match(following))
    ):
        return HYPOTHETICAL
    if (
        not lasting
        and _THIRD_PERSON.search(clause)
        and (
            _someone_elses_story_ends(clause[end:] + " " + following)
            or _GENERAL_NEXT.match(following)
            or _GENERAL_NEXT.search(clause[end:])
            or _PAST_NEXT.match(following)
            or _MEDIA_STORY.search(clause)
        )
    ):
        # "my friend's legs went like jelly ... she's had surgery and is fine now", "my
        # neighbour lost control of his bladder, so I'm paranoid, but my back is just stiff"
        return PAST
    if _ANIMAL.search(clause) or _LATE_PERSON.search(clause):
        return PAST
    if history_counts:
        return CURRENT
    if not lasting and (_over(clause, start, end) or _OVER_NEXT.match(following)):
        return PAST
    if _PAST_NEXT.match(following):
        return PAST
    return PAST if _nearer_past_than_now(clause, start, end) else CURRENT


_CONTINUES_IN_THE_PAST = re.compile(
    r"^\s*(?:couldn't|could not|was|were|had|did|didn't|went|got|needed|spent)\b", re.IGNORECASE
)


def _distance(found: re.Match, start: int, end: int) -> int:
    return max(found.start() - end, start - found.end(), 0)


def _nearer_past_than_now(clause: str, start: int, end: int) -> bool:
    """Whether a "years ago" is nearer the sign than any "now", "since" or "today", within the
    part of the clause between commas that holds the sign ("my son turned 14 last month, he's
    limping": the month is about the birthday)."""
    segment_start = clause.rfind(",", 0, start) + 1
    # "I was off my feet in 2021, couldn't walk at all": a past-tense segment with no subject
    # goes on from the one before it.
    while segment_start > 0 and _CONTINUES_IN_THE_PAST.match(clause[segment_start:]):
        segment_start = clause.rfind(",", 0, segment_start - 1) + 1
    segment_end = clause.find(",", end)
    if segment_end >= 0 and _PAST_NEXT.match(clause[segment_end + 1 :]):
        # "my leg gave way, that was 25 years ago"
        return True
    if segment_end >= 0 and _ONLY_LONG_AGO.match(clause[segment_end + 1 :]):
        # "she had a fever and back pain, many years ago, now she is fine"
        return True
    clause = clause[: segment_end if segment_end >= 0 else len(clause)]
    clause = " " * segment_start + clause[segment_start:]
    past = [_distance(found, start, end) for found in _LONG_AGO.finditer(clause)]
    if not past:
        return False
    # Same length, so positions stay: "I'm 30 now" is not a "now" about the sign.
    without_ages = _AGE_NOW.sub(lambda match: "_" * len(match.group(0)), clause)
    now = [_distance(found, start, end) for found in _NOW.finditer(without_ages)]
    return not now or min(past) < min(now)


# A denial anywhere in a clause, for judging a clause as a whole (no sign pinned down). Words
# that are part of how signs are said ("no feeling", "can not", "haven't been able to") are not
# denials here.
_DENIAL_IN_STATEMENT = re.compile(
    r"\b(?:no(?!\s+(?:feeling|sensation|control|strength|power|longer|matter|idea|way|clue|"
    r"warning|reason|urge))|(?<!can )(?<!could )not(?!\s+(?:able|sure|only|just|even))|never|"
    r"none|nothing(?!\s+(?:helps|eases|works|comes|happens|stops|settles))|without|nor|neither|"
    r"free of|ruled out|negative for|isn't|aren't|wasn't|weren't|"
    r"(?:don't|doesn't|didn't|haven't|hasn't)(?!\s+(?:been able|know|seem|feel|notice|realise|"
    r"realize|work|respond|lift|ease|help|settle|stop|go|get|want|hold|take|move|pull|come|start|"
    r"bear|stand|walk)))\b",
    re.IGNORECASE,
)


def statement_status(clause: str, following: str = "") -> str:
    """CURRENT, DENIED, PAST or HYPOTHETICAL for a clause taken as one statement."""
    cleaned = _PSEUDO_NEGATION.sub(lambda match: "_" * len(match.group(0)), clause)
    if _DENIAL_IN_STATEMENT.search(cleaned) or _DENIED_NEXT.match(following):
        return DENIED
    own_state = _ASKS_ABOUT_OWN_STATE.search(clause)
    if _CONDITIONAL.search(clause) and not _ASKS_ABOUT_OWN_STATE_IF.search(clause):
        return HYPOTHETICAL
    mine_next = _MINE_NEXT.match(following)
    if _GENERAL_QUESTION.search(clause) and not (own_state or mine_next):
        return HYPOTHETICAL
    asked_in_general = not _PERSON.search(_ASKER.sub("", clause))
    if _opens_as_a_question(clause) and asked_in_general and not (own_state or mine_next):
        return HYPOTHETICAL
    if _OVER.search(clause) or _OVER_NEXT.match(following) or _ANIMAL.search(clause):
        return PAST
    if _THIRD_PERSON.search(clause) and _someone_elses_story_ends(following):
        return PAST
    if _PAST_NEXT.match(following):
        return PAST
    if _LONG_AGO.search(clause) and not _NOW.search(_AGE_NOW.sub(" ", clause)):
        return PAST
    return CURRENT


def _someone_elses_story_ends(following: str) -> bool:
    """After a third person's story: "she's fine now", how it ended ("they pinned it"), or the
    writer turning to their own, different state ("I'm here about my own hip")."""
    return bool(
        _OVER.search(following[: OVER_REACH_CHARACTERS * 2])
        or _STORY_OUTCOME.search(following[: OVER_REACH_CHARACTERS * 2])
        or _MY_OWN_IS_DIFFERENT.search(following)
    )
