"""Reasons in the reader's language: English, Chinese, French, Spanish (English otherwise).

A reason is only useful if the person can read it; the CV's language is the person's. Templates
take named fields; values (places, titles, credentials) are quoted as the posting or CV wrote them.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "outside_area": {
        "en": "based in {place}, outside the area you said you work in ({areas})",
        "zh": "工作地点在{place}，不在您表示可工作的范围（{areas}）内",
        "fr": "poste basé à {place}, hors de la zone où vous souhaitez travailler ({areas})",
        "es": "puesto en {place}, fuera de la zona en la que quiere trabajar ({areas})",
    },
    "remote_scope": {
        "en": "remote only from {where}, where your CV gives you no right to work",
        "zh": "仅限在{where}远程工作，您的简历未显示您可在当地工作",
        "fr": "télétravail uniquement depuis {where}, où votre CV ne montre pas de droit de travailler",
        "es": "remoto solo desde {where}, donde su CV no indica permiso de trabajo",
    },
    "office_days": {
        "en": "asks for {days} days a week at the workplace; you said at most {max}",
        "zh": "要求每周到岗{days}天，而您表示最多{max}天",
        "fr": "demande {days} jours par semaine sur site ; vous avez indiqué {max} au plus",
        "es": "pide {days} días a la semana presenciales; usted indicó {max} como máximo",
    },
    "site_based": {
        "en": "a full-time site posting; your CV asks for office-based roles",
        "zh": "需要常驻现场，而您只考虑办公室岗位",
        "fr": "poste à plein temps sur chantier ; votre CV demande un poste en bureau",
        "es": "puesto a tiempo completo en obra; su CV pide puestos de oficina",
    },
    "relocation": {
        "en": "requires relocation ({what}); you said you will not relocate",
        "zh": "要求搬迁到外地工作（{what}），而您表示不接受搬迁",
        "fr": "exige un déménagement ({what}) ; vous avez indiqué ne pas vouloir déménager",
        "es": "exige mudarse ({what}); usted indicó que no quiere mudarse",
    },
    "away": {
        "en": "involves working away from home ({what}); you said you need to be home every night",
        "zh": "需要长期出差或驻外（{what}），与您的要求不符",
        "fr": "implique des déplacements hors du domicile ({what}), que vous excluez",
        "es": "implica trabajar fuera de casa ({what}), que usted descarta",
    },
    "nights": {
        "en": "includes night work ({what}), which you ruled out",
        "zh": "需要上夜班（{what}），而您表示不接受夜班",
        "fr": "comporte du travail de nuit ({what}), que vous excluez",
        "es": "incluye trabajo nocturno ({what}), que usted descarta",
    },
    "rotating": {
        "en": "works a rotating shift pattern ({what}); you asked for days only",
        "zh": "需要轮班（{what}），而您只接受白班",
        "fr": "fonctionne en horaires tournants ({what}) ; vous souhaitez travailler de jour uniquement",
        "es": "trabaja en turnos rotativos ({what}); usted pide solo turno de día",
    },
    "work_rights": {
        "en": "requires the right to work in {where}, which your CV does not show",
        "zh": "要求具备在{where}工作的资格，您的简历未显示",
        "fr": "exige le droit de travailler en/au {where}, que votre CV ne mentionne pas",
        "es": "exige permiso de trabajo en {where}, que su CV no indica",
    },
    "credential": {
        "en": "requires {what}, which your CV does not show",
        "zh": "要求{what}，您的简历中没有",
        "fr": "exige {what}, absent de votre CV",
        "es": "exige {what}, que no figura en su CV",
    },
    "lacks": {
        "en": "requires {what}; your CV says you do not hold it",
        "zh": "要求{what}，而您的简历说明您尚未持有",
        "fr": "exige {what} ; votre CV indique que vous ne l'avez pas",
        "es": "exige {what}; su CV indica que no lo tiene",
    },
    "language": {
        "en": "requires {language} at a level your CV does not show ({level})",
        "zh": "要求{language}达到较高水平，您的简历未显示（{level}）",
        "fr": "exige un niveau de {language} que votre CV ne montre pas ({level})",
        "es": "exige un nivel de {language} que su CV no muestra ({level})",
    },
    "posting_language": {
        "en": "written in {language}, a language your CV does not list",
        "zh": "职位以{language}撰写，您的简历未列出该语言",
        "fr": "rédigée en {language}, une langue que votre CV ne mentionne pas",
        "es": "redactada en {language}, un idioma que su CV no menciona",
    },
    "seasonal": {
        "en": "a seasonal contract ({what}); you ruled out seasonal work",
        "zh": "季节性合同（{what}），您不接受季节性工作",
        "fr": "un contrat saisonnier ({what}) ; vous excluez les saisons",
        "es": "un contrato de temporada ({what}); usted descarta trabajos de temporada",
    },
    "temporary": {
        "en": "a temporary contract ({what}); you asked for permanent work",
        "zh": "临时合同（{what}），您希望长期职位",
        "fr": "un contrat temporaire ({what}) ; vous cherchez un CDI",
        "es": "un contrato temporal ({what}); usted busca un puesto indefinido",
    },
    "excluded_company": {
        "en": "{company} is on your excluded companies list",
        "zh": "{company}在您排除的公司名单中",
        "fr": "{company} figure dans votre liste d'entreprises exclues",
        "es": "{company} está en su lista de empresas excluidas",
    },
    "excluded_keyword": {
        "en": "mentions '{keyword}', which you excluded",
        "zh": "提到了您排除的关键词“{keyword}”",
        "fr": "mentionne « {keyword} », que vous avez exclu",
        "es": "menciona «{keyword}», que usted excluyó",
    },
    "salary_floor": {
        "en": "pays at most {pay} a year, below your floor of {floor}",
        "zh": "年薪最高{pay}，低于您的最低要求{floor}",
        "fr": "paie au plus {pay} par an, sous votre minimum de {floor}",
        "es": "paga como máximo {pay} al año, por debajo de su mínimo de {floor}",
    },
    "remote_only": {
        "en": "not fully remote, and you asked for remote only",
        "zh": "不是完全远程，而您只接受远程",
        "fr": "pas entièrement en télétravail, alors que vous le demandez",
        "es": "no es totalmente remoto, y usted pidió solo remoto",
    },
    "onsite_only": {
        "en": "fully remote, and you asked for on-site work",
        "zh": "完全远程，而您希望到岗工作",
        "fr": "entièrement à distance, alors que vous souhaitez travailler sur site",
        "es": "totalmente remoto, y usted pidió trabajo presencial",
    },
    "sponsorship": {
        "en": "offers no visa sponsorship, which you need",
        "zh": "不提供工作签证担保，而您需要",
        "fr": "ne parraine pas de visa, dont vous avez besoin",
        "es": "no ofrece patrocinio de visado, que usted necesita",
    },
    # Reasons for the score (not deal-breakers).
    "title_match": {
        "en": "the title matches your experience as {role}",
        "zh": "职位与您担任过的“{role}”相符",
        "fr": "l'intitulé correspond à votre expérience de {role}",
        "es": "el puesto coincide con su experiencia como {role}",
    },
    "title_differs": {
        "en": "the title differs from the roles on your CV",
        "zh": "职位名称与您简历中的职位不同",
        "fr": "l'intitulé diffère des postes de votre CV",
        "es": "el puesto difiere de los de su CV",
    },
    "requirements": {
        "en": "your CV covers {covered} of its {total} requirements",
        "zh": "您的简历满足其{total}项要求中的{covered}项",
        "fr": "votre CV couvre {covered} de ses {total} exigences",
        "es": "su CV cubre {covered} de sus {total} requisitos",
    },
    "no_requirements": {
        "en": "it names no requirement your CV could be checked against",
        "zh": "职位未列出可与您简历对照的要求",
        "fr": "elle ne cite aucune exigence vérifiable dans votre CV",
        "es": "no menciona requisitos comparables con su CV",
    },
    "evidence": {
        "en": "shared terms: {terms}",
        "zh": "共同要点：{terms}",
        "fr": "termes communs : {terms}",
        "es": "términos en común: {terms}",
    },
    "years_ok": {
        "en": "{years:g} years in this line of work meet the {asked}+ asked",
        "zh": "您在该领域{years:g}年的经验满足{asked}年以上的要求",
        "fr": "{years:g} ans dans ce métier pour {asked} demandés",
        "es": "{years:g} años en este oficio para los {asked} pedidos",
    },
    "years_short": {
        "en": "asks for {asked}+ years; your CV shows {years:g} in this line of work",
        "zh": "要求{asked}年以上经验，您在该领域有{years:g}年",
        "fr": "demande {asked} ans ou plus ; votre CV en montre {years:g} dans ce métier",
        "es": "pide {asked} años o más; su CV muestra {years:g} en este oficio",
    },
    "level_below": {
        "en": "a more junior role than your current one",
        "zh": "职级低于您目前的职位",
        "fr": "un poste moins senior que votre poste actuel",
        "es": "un puesto de menor nivel que el actual",
    },
    "level_above": {
        "en": "a more senior role than your current one (a stretch)",
        "zh": "职级高于您目前的职位（有一定挑战）",
        "fr": "un poste plus senior que votre poste actuel (un défi)",
        "es": "un puesto de mayor nivel que el actual (un reto)",
    },
    "remote": {
        "en": "fully remote",
        "zh": "完全远程",
        "fr": "entièrement en télétravail",
        "es": "totalmente remoto",
    },
    "near": {
        "en": "located near you ({place})",
        "zh": "工作地点离您较近（{place}）",
        "fr": "situé près de chez vous ({place})",
        "es": "cerca de usted ({place})",
    },
    "far": {
        "en": "located far from you ({place})",
        "zh": "工作地点离您较远（{place}）",
        "fr": "situé loin de chez vous ({place})",
        "es": "lejos de usted ({place})",
    },
    "avoid_role": {
        "en": "the kind of work you said you are leaving ({what})",
        "zh": "属于您表示不再从事的工作（{what}）",
        "fr": "le type de poste que vous souhaitez quitter ({what})",
        "es": "el tipo de trabajo que usted dice dejar ({what})",
    },
    "injection": {
        "en": "the posting contains instructions aimed at automated screeners; they were ignored",
        "zh": "该职位包含针对自动筛选系统的指令，已被忽略",
        "fr": "l'annonce contient des instructions destinées aux outils de tri automatiques ; elles ont été ignorées",
        "es": "la oferta contiene instrucciones dirigidas a sistemas automáticos; se ignoraron",
    },
}
LANGUAGE_LABELS: dict[str, dict[str, str]] = {
    "en": {"en": "English", "zh": "英语", "fr": "anglais", "es": "inglés"},
    "fr": {"en": "French", "zh": "法语", "fr": "français", "es": "francés"},
    "es": {"en": "Spanish", "zh": "西班牙语", "fr": "espagnol", "es": "español"},
    "de": {"en": "German", "zh": "德语", "fr": "allemand", "es": "alemán"},
    "zh": {"en": "Chinese", "zh": "中文", "fr": "chinois", "es": "chino"},
    "ja": {"en": "Japanese", "zh": "日语", "fr": "japonais", "es": "japonés"},
    "ar": {"en": "Arabic", "zh": "阿拉伯语", "fr": "arabe", "es": "árabe"},
    "nl": {"en": "Dutch", "zh": "荷兰语", "fr": "néerlandais", "es": "neerlandés"},
    "it": {"en": "Italian", "zh": "意大利语", "fr": "italien", "es": "italiano"},
    "pt": {"en": "Portuguese", "zh": "葡萄牙语", "fr": "portugais", "es": "portugués"},
    "ko": {"en": "Korean", "zh": "韩语", "fr": "coréen", "es": "coreano"},
    "ru": {"en": "Russian", "zh": "俄语", "fr": "russe", "es": "ruso"},
}
LEVEL_LABELS = {0: "none", 1: "A1", 2: "A2", 3: "B1", 4: "B2", 5: "C1", 6: "C2/native"}


def reader_language(language: str) -> str:
    """The message language for a CV or posting language (English when there is no translation)."""
    base = (language or "en").split("-")[0]
    return base if base in {"en", "zh", "fr", "es"} else "en"


def say(key: str, reader: str, /, **fields: object) -> str:
    """One reason in the ``reader``'s language, first letter capitalised for Latin scripts."""
    templates = MESSAGES[key]
    text = templates.get(reader_language(reader), templates["en"]).format(**fields)
    return text[:1].upper() + text[1:] if text[:1].isascii() else text


def language_name(code: str, reader: str) -> str:
    return LANGUAGE_LABELS.get(code, {}).get(reader_language(reader), code)


TITLE_MESSAGES: dict[str, dict[str, str]] = {
    "headline": {
        "en": "the title your CV gives you",
        "zh": "您简历上的职位头衔",
        "fr": "l'intitulé que porte votre CV",
        "es": "el título que figura en su CV",
    },
    "target": {
        "en": "the role your CV says you are looking for",
        "zh": "您简历中写明的求职意向",
        "fr": "le poste que votre CV dit rechercher",
        "es": "el puesto que su CV dice buscar",
    },
    "role": {
        "en": "your role as {role}",
        "zh": "您担任过的职位：{role}",
        "fr": "votre poste de {role}",
        "es": "su puesto de {role}",
    },
    "related": {
        "en": "the same occupation as your role as {role} ({occupation}, O*NET/ESCO); every word of it is on your CV",
        "zh": "与您的“{role}”属于同一职业（{occupation}，O*NET/ESCO），且每个词都出现在您的简历中",
        "fr": "même métier que votre poste de {role} ({occupation}, O*NET/ESCO) ; chaque mot figure dans votre CV",
        "es": "la misma ocupación que su puesto de {role} ({occupation}, O*NET/ESCO); cada palabra figura en su CV",
    },
    "degree": {
        "en": "the job your degree trains for ({degree})",
        "zh": "您的学位所对应的职业（{degree}）",
        "fr": "le métier auquel prépare votre diplôme ({degree})",
        "es": "el empleo para el que prepara su título ({degree})",
    },
    "pinned": {
        "en": "you pinned this title in your settings",
        "zh": "您在设置中固定了这个职位",
        "fr": "vous avez épinglé cet intitulé dans vos réglages",
        "es": "usted fijó este título en su configuración",
    },
}


def say_title(key: str, reader: str, /, **fields: object) -> str:
    """Why a title is suggested, in the reader's language."""
    templates = TITLE_MESSAGES[key]
    text = templates.get(reader_language(reader), templates["en"]).format(**fields)
    return text[:1].upper() + text[1:] if text[:1].isascii() else text


BUDGET_MESSAGES: dict[str, dict[str, str]] = {
    "user_day": {
        "en": "Today's budget of ${limit} was reached (${spent} spent on LLM calls): "
        "the rest of today's work ({switched} steps) used the offline engine.",
        "zh": "今日预算 ${limit} 已用完（大模型调用已花费 ${spent}）：今天其余的工作（{switched} 步）改用了离线引擎。",
        "fr": "Le budget du jour (${limit}) est atteint (${spent} dépensés en appels au LLM) : "
        "le reste du travail du jour ({switched} étapes) a utilisé le moteur hors ligne.",
        "es": "Se alcanzó el presupuesto de hoy (${limit}; ${spent} gastados en llamadas al LLM): "
        "el resto del trabajo de hoy ({switched} pasos) usó el motor sin conexión.",
    },
    "run": {
        "en": "The run's budget of ${limit} was reached (${spent} spent on the LLM and paid searches): "
        "the rest of your work in it ({switched} steps) used the offline engine.",
        "zh": "本次运行的预算 ${limit} 已用完（大模型和付费搜索已花费 ${spent}）：您其余的工作（{switched} 步）改用了离线引擎。",
        "fr": "Le budget de l'exécution (${limit}) est atteint (${spent} dépensés en LLM et recherches payantes) : "
        "le reste de votre travail ({switched} étapes) a utilisé le moteur hors ligne.",
        "es": "Se alcanzó el presupuesto de la ejecución (${limit}; ${spent} gastados en el LLM y búsquedas de pago): "
        "el resto de su trabajo ({switched} pasos) usó el motor sin conexión.",
    },
}


def say_budget(scope: str, reader: str, /, *, limit: float, spent: float, switched: int) -> str:
    """That a budget was reached and the offline engine took over, in the reader's language.

    Amounts keep four decimals: a day of LLM judgement costs cents, so two would read $0.00."""
    templates = BUDGET_MESSAGES[scope if scope in BUDGET_MESSAGES else "user_day"]
    text = templates.get(reader_language(reader), templates["en"])
    return text.format(limit=f"{limit:.4f}", spent=f"{spent:.4f}", switched=switched)
