"""Words that mark a requirement, a negation, a schedule or a work setting, in the supported languages.

Constraints decide deal-breakers, and no similarity measure sees them (ARCHITECTURE.md): they are read
with explicit cues. Each cue list covers English, French, Spanish, German, Portuguese, Italian and
Chinese, because a posting or a CV states "essential", "indispensable", "imprescindible",
"erforderlich" or "必须" for the same thing. Patterns run on text folded by ``fold_for_cues``
(lower case, accents removed), so they are written without accents.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from jobland_pipeline.lexicon.hanzi import to_simplified

# Posting side: the sentence makes something a condition of the job.
REQUIRED = (
    r"(?:required|requirement|essential|mandatory|must(?:\s+(?:have|hold|be|already))?|need(?:s|ed)?\s+to\s+(?:hold|have)"
    r"|non[- ]negotiable|only\s+(?:candidates|applicants|holders)|cannot\s+be\s+considered|will\s+not\s+be\s+considered"
    r"|applications\s+without|is\s+a\s+must|prerequisite|condition\s+of\s+employment|we\s+cannot\s+offer\s+the\s+training"
    r"|already\s+(?:hold|holds|qualified|type[- ]rated)|type\s+rated\s+only"
    r"|indispensable|obligatoire|exige|requis|imperatif|necessaire"
    r"|imprescindible|obligatori[oa]|requerid[oa]|necesari[oa]|excluyente|requisito"
    r"|erforderlich|zwingend|voraussetzung|unabdingbar|pflicht|muss"
    r"|obrigatori[oa]|indispensavel|richiest[oa]|obbligatori[oa]|necessari[oa]"
    r"|必须|必需|须|务必|要求|必备|仅限|方可)"
)
# ... unless the same sentence softens it.
OPTIONAL = (
    r"(?:preferred|desirable|an?\s+(?:plus|advantage|bonus|asset)|(?:is|are)\s+an?\s+asset|real\s+asset|nice\s+to\s+have|advantageous|not\s+(?:required|essential|necessary|mandatory)"
    r"|is\s+not\s+required|training\s+(?:is\s+)?provided|we\s+(?:will\s+)?(?:provide|sponsor|fund|support)|or\s+(?:working\s+towards|willing\s+to\s+obtain|eligibility)"
    r"|eligib(?:le|ility)\s+to|where\s+needed|ideally|would\s+be\s+(?:great|good)|bonus"
    r"|souhaite|apprecie|un\s+plus|serait\s+un\s+atout|atout|n'est\s+pas\s+(?:exige|requis|obligatoire|necessaire)"
    r"|deseable|valorable|se\s+valora|no\s+es\s+(?:necesari[oa]|imprescindible|obligatori[oa]|requisito)"
    r"|wunschenswert|von\s+vorteil|nicht\s+erforderlich|nicht\s+zwingend"
    r"|desejavel|diferencial|gradit[oa]|preferibile"
    r"|provided|we\s+train|or\s+(?:an\s+)?equivalent|or\s+comparable|oder\s+vergleichbar\w*|ou\s+equivalent|o\s+equivalente"
    r"|fourni|proporcionad[oa]|bereitgestellt|wird\s+gestellt|willkommen|keine\s+voraussetzung"
    r"|优先|加分|不要求|非必须|不是必须|可培训|提供培训|或同等)"
)
# Posting side: a personal quality rather than a skill ("工作认真细致，责任心强", "excellent communication
# skills"). Such a line stays a requirement, but it is named after the skills a CV can show it lacks.
SOFT_SKILL = (
    r"(?:communication|communicat\w+\s+skills|team\s*player|teamwork|interpersonal|detail[- ]oriented|attention\s+to\s+detail"
    r"|self[- ]motivated|self[- ]starter|proactive|positive\s+attitude|work\s+ethic|well[- ]organi[sz]ed|time\s+management"
    r"|fast[- ]paced|multi[- ]?task|reliab(?:le|ility)|punctual|enthusias\w+|eager\s+to\s+learn|can[- ]do"
    r"|esprit\s+d'equipe|rigueur|rigoureu\w+|sens\s+de\s+l'organisation|dynamique|bon\s+relationnel"
    r"|trabajo\s+en\s+equipo|proactiv\w+|don\s+de\s+gentes|teamfahig\w*|zuverlassig\w*|kommunikationsstark\w*|belastbar\w*"
    r"|沟通|责任心|责任感|认真|细致|细心|严谨|踏实|团队合作|团队精神|协作精神|抗压|吃苦耐劳|积极主动|主动性|学习能力|执行力"
    r"|敬业|诚实|正直|耐心|亲和力|表达能力|职业操守|品行端正)"
)
# CV side: the person does not have or does not want something.
NEGATION = (
    r"(?:\bno\b|\bnot\b|\bnever\b|\bwithout\b|\bnone\b|don't|do\s+not|does\s+not|cannot|can't|unable|"
    r"\bpas\b|\bsans\b|\bjamais\b|\baucun[e]?\b|\bne\b|\bn'"
    r"|\bsin\b|\bnunca\b|\bningun[oa]?\b|\bni\b"
    r"|\bkein(?:e|en|er)?\b|\bnicht\b|\bohne\b|\bnao\b|\bsem\b|\bnon\b|\bsenza\b"
    r"|没有|无|不|未|非)"
)
NIGHTS = (
    r"(?:nights?\b|night[- ]?shifts?|overnights?|night\s+work|graveyard|(?:9|10|11)\s*(?:p\.?m\.?|pm)\s*[-–to]+\s*(?:6|7|8)\s*(?:a\.?m\.?|am)"
    r"|de\s+nuit|travail\s+de\s+nuit|turnos?\s+de\s+noche|nocturn[oa]s?|trabajo\s+nocturno"
    r"|nachtschicht(?:en)?|nachtdienst|turno\s+(?:da|de)\s+noite|notturn[oi]"
    r"|夜班|通宵|晚班|倒班|夜间)"
)
ROTATION = (
    r"(?:rotating\s+(?:shifts?|rota|days\s+and\s+nights)|shift\s+(?:rota|rotation|work|pattern)|\d\s*on\s*\d\s*off"
    r"|days\s+and\s+nights|(?:4|5|6)[- ]day\s+(?:on|rotation)|continental\s+shifts?|12[- ]hour\s+(?:shifts|days\s+and\s+nights)"
    r"|(?:2|3)x8|3\s*[x×]\s*8|en\s+rotation|turnos?\s+rotativos?|wechselschicht|schichtdienst|turni\s+a\s+rotazione|轮班|倒班|三班倒)"
)
DAYS_ONLY = (
    r"(?:days?\s+only|day\s+shifts?\s+only|only\s+days|monday\s+to\s+friday\s+days|de\s+jour\s+uniquement|uniquement\s+de\s+jour"
    r"|solo\s+(?:turno\s+de\s+)?(?:dia|manana)|nur\s+tag(?:schicht|dienst)?|只(?:上|做)?白班|仅白班)"
)
REMOTE = r"(?:remote|remotely|work\s+from\s+home|wfh|teletravail|a\s+distance|remoto|teletrabajo|remot[oa]|homeoffice|home\s+office|smart\s+working|远程|居家办公)"
HYBRID = r"(?:hybrid|hibrid[oa]|hybride|ibrido|混合办公|混合)"
ONSITE = (
    r"(?:on[- ]?site|onsite|in[- ]office|office[- ]based|site[- ]based|in\s+person|fully\s+on\s+site|presencial|en\s+presentiel|presentiel|sur\s+site"
    r"|vor\s+ort|prasenz|presenziale|坐班|现场)"
)
RELOCATION = (
    r"(?:relocat\w*|move\s+(?:to|abroad|city|country)|moving|demenag\w*|mobilite\s+geographique|cambiar\s+de\s+(?:ciudad|pais|residencia)"
    r"|reubica\w*|traslad\w*|mudar\w*|umzug|umzieh\w*|trasferi\w*|搬迁|异地|外派|调往)"
)
SPONSORSHIP = r"(?:sponsor\w*|visa|work\s+permit|patrocinio|parrainage|arbeitserlaubnis|签证|工作许可)"
AUTHORISATION = (
    r"(?:right\s+to\s+work|authori[sz](?:ed|ation)\s+to\s+work|work\s+authori[sz]ation|eligib(?:le|ility)\s+to\s+work|legally\s+(?:able|entitled|authori[sz]ed)\s+to\s+work"
    r"|work\s+permit|permis\s+de\s+travail|autorisation\s+de\s+travail|permiso\s+de\s+trabajo|autorizacion\s+(?:para|de)\s+trabajar"
    r"|arbeitserlaubnis|arbeitsberechtigung|工作签证|工作许可|居留)"
)
CREDENTIAL = (
    r"(?:licen[cs]e[ds]?|licensure|registration|registered\s+with|membership|member\s+of|certificat(?:e|ion)|certified|card\b|clearance|vetting"
    r"|type[- ]?rat(?:ing|ed)|rated\s+on|admission|admitted|qualified\s+(?:lawyer|solicitor|attorney|as)|bar\b|authori[sz]ed\s+person|appointment\s+as"
    r"|ticket|endorsement|accreditation|chartered|\bqualified\b"
    r"|permis\s+[a-z]\b|permis\s+de\s+conduire|inscription\s+(?:a|au)|ordre\s+des|habilitation|agrement|carte\s+professionnelle|diplome\s+d'etat"
    r"|carnet|colegiad[oa]|colegiacion|habilitacion|titulacion\s+oficial|licencia|acreditacion"
    r"|fuhrerschein|\w*zulassung|approbation|kammer|\w*berechtigung|\w*ausbildung|\w*examen|\w*weiterbildung|\w*schein\b"
    r"|carteira|habilitacao|patente|abilitazione|iscrizione\s+all'albo"
    r"|资格|执业证|证书|驾照|驾驶证|牌照|职称|注册\w{0,4}师|持证|上岗证|执照)"
)
WORK_SETTING_OFFICE = (
    r"(?:design[- ]office|office[- ]based|desk[- ]based|bureau\s+d'etudes|oficina\s+tecnica|设计院|办公室)"
)
AWAY = (
    r"(?:nationwide|away\s+from\s+home|working\s+away|lodging|lodge|stay\s+away|(?:mon|monday)\w*\s+to\s+(?:fri|thursday|friday)\w*\s+away|offshore|rotations?\s+offshore"
    r"|fly[- ]in|fifo|extensive\s+travel|travel\s+(?:up\s+to\s+)?[5-9]\d\s*%|grands\s+deplacements|deplacements\s+frequents|desplazamientos\s+frecuentes|viajes\s+frecuentes"
    r"|montage|reisebereitschaft|trasferte|长期出差|常驻外地|驻场)"
)
SEASONAL = (
    r"(?:seasonal|season\b|saison\w*|cdd\s+saisonnier|temporada|temporal\b|saisonkraft|stagionale|季节)"
)
TEMPORARY = (
    r"(?:fixed[- ]term|temporary|\bcdd\b|\binterim\b|contrato\s+temporal|befristet|tempo\s+determinato|临时)"
)
PERMANENT = r"(?:permanent|\bcdi\b|indefinid[oa]|unbefristet|tempo\s+indeterminato|正式|长期合同)"

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "ein": 1, "eine": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5,
    "um": 1, "duas": 2, "tre": 3, "quattro": 4, "cinque": 5,
    "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
}  # fmt: skip
NUMBER = r"(?:\d|one|two|three|four|five|six|un|une|deux|trois|quatre|cinq|uno|una|dos|tres|cuatro|cinco|ein|eine|zwei|drei|vier|funf|um|duas|tre|quattro|cinque|一|两|二|三|四|五|六)"


def number(word: str) -> int | None:
    word = word.strip().lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def fold_for_cues(text: str) -> str:
    """Lower case, accents removed, typographic quotes straightened: the form every cue is written in.

    Length-preserving (one character in, one out), so positions found in the folded text point at
    the same words in the original.
    """
    text = text.replace("’", "'").replace("‘", "'")
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lower-case into two ("İ"): keep them as they are
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    if lowered.isascii():
        return lowered
    lowered = to_simplified(lowered)
    table = {ord(ch): _fold_char(ch) for ch in set(lowered) if not ch.isascii()}
    return lowered.translate(table)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if len(base) == 1 else ch


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9¿¡(\"'«])|(?<=[。！？；])|\n+")


def sentences(text: str) -> list[str]:
    """Sentences and lines: constraints are stated one per sentence or per list item."""
    return [s.strip(" -•*·\t") for s in _SENTENCE_END.split(text) if s and s.strip(" -•*·\t")]
