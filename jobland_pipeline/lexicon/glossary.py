"""A small multilingual glossary of the words job titles are made of, for comparing titles across languages.

A Spanish developer's CV says "Desarrollador Backend Java", the posting says "Senior Backend Engineer
(Java)"; a Chinese lawyer's CV says "资深律师", the posting "Senior Legal Counsel". Titles are compact
and use a few hundred words in any language, so a concept glossary of those words (not of
occupations) carries titles across languages without a translation model. Each concept lists its
words in English, French, Spanish, German, Portuguese, Italian and Chinese; matching is on folded,
stemmed words (Chinese by substring).
"""

from __future__ import annotations

from functools import lru_cache

CONCEPTS: dict[str, tuple[str, ...]] = {
    # roles and heads of titles
    "developer": ("developer", "development", "desarrollador", "desarrolladora", "developpeur", "developpeuse", "entwickler", "desenvolvedor", "sviluppatore", "programmer", "programador", "programmeur", "开发", "程序员", "開發"),
    "engineer": ("engineer", "engineering", "ingeniero", "ingeniera", "ingenieur", "ingenieure", "engenheiro", "ingegnere", "工程师", "工程師"),
    "software": ("software", "logiciel", "informatique", "informatica", "软件", "軟體"),
    "manager": ("manager", "management", "gerente", "gestionnaire", "responsable", "leiter", "gestor", "direttore", "经理", "經理"),
    "director": ("director", "directeur", "directrice", "directora", "direktor", "diretor", "总监", "總監"),
    "head": ("head", "chief", "jefe", "jefa", "chef de service", "leiterin", "负责人", "主管"),
    "lead": ("lead", "leader", "lider", "referent", "tech lead", "组长", "负责人"),
    "coordinator": ("coordinator", "coordination", "coordinating", "coordinador", "coordinadora", "coordinateur", "coordinatrice", "koordinator", "coordenador", "coordinatore", "协调员", "协调", "專員"),
    "assistant": ("assistant", "assistante", "asistente", "ayudante", "assistent", "assistente", "助理", "助手"),
    "specialist": ("specialist", "especialista", "specialiste", "spezialist", "专员", "专家"),
    "consultant": ("consultant", "consultor", "consultora", "berater", "consulente", "顾问"),
    "adviser": ("adviser", "advisor", "conseiller", "conseillere", "asesor", "asesora", "berater", "顾问"),
    "analyst": ("analyst", "analista", "analyste", "analytiker", "分析师"),
    "officer": ("officer", "oficial", "officier", "offizier"),
    "technician": ("technician", "tecnico", "tecnica", "technicien", "technicienne", "techniker", "tecnico", "技术员", "技師"),
    "designer": ("designer", "disenador", "disenadora", "concepteur", "gestalter", "设计师", "設計師"),
    "design": ("design", "diseno", "conception", "gestaltung", "设计", "設計"),
    "architect": ("architect", "arquitecto", "arquitecta", "architecte", "architekt", "arquiteto", "architetto", "架构师", "建筑师"),
    "administrator": ("administrator", "administrador", "administrateur", "administratrice", "verwalter", "管理员"),
    "supervisor": ("supervisor", "superviseur", "encargado", "encargada", "capataz", "vorarbeiter", "主管", "督导"),
    "operator": ("operator", "operador", "operateur", "bediener", "操作员"),
    "partner": ("partner", "socio", "associe", "associee", "teilhaber", "合伙人"),
    "associate": ("associate", "asociado", "collaborateur", "mitarbeiter"),
    "intern": ("intern", "internship", "becario", "becaria", "practicas", "stagiaire", "stage", "praktikant", "estagiario", "tirocinante", "实习", "实习生"),
    "apprentice": ("apprentice", "apprenti", "apprentie", "aprendiz", "auszubildende", "azubi", "学徒"),
    "trainee": ("trainee", "graduate", "junior", "初级", "见习"),
    "senior": ("senior", "sr", "senor", "confirme", "experimente", "资深", "高级", "資深"),
    "instructor": ("instructor", "trainer", "formateur", "formatrice", "formador", "formadora", "ausbilder", "teacher", "profesor", "profesora", "professeur", "enseignant", "lehrer", "docente", "讲师", "教师", "培训师", "教练"),
    "representative": ("representative", "representante", "representant", "vertreter", "代表"),
    "agent": ("agent", "agente", "代理"),
    "executive": ("executive", "ejecutivo", "ejecutiva", "cadre", "专员"),
    "clerk": ("clerk", "administrativo", "administrativa", "employe", "sachbearbeiter", "文员"),
    "worker": ("worker", "trabajador", "operario", "ouvrier", "arbeiter", "工人"),
    # trades and professions
    "electrician": ("electrician", "electricista", "electricien", "electricienne", "elektriker", "eletricista", "elettricista", "电工", "電工"),
    "electrical": ("electrical", "electric", "electrico", "electrique", "elektrisch", "电气", "電氣"),
    "plumber": ("plumber", "fontanero", "plombier", "klempner", "水管工"),
    "mechanic": ("mechanic", "mecanico", "mecanicien", "mechaniker", "机修工", "技工"),
    "maintenance": ("maintenance", "mantenimiento", "entretien", "instandhaltung", "wartung", "manutencao", "manutenzione", "维护", "维修", "維修"),
    "installation": ("installation", "installer", "instalacion", "instalador", "installateur", "安装"),
    "pharmacist": ("pharmacist", "pharmacien", "pharmacienne", "farmaceutico", "farmaceutica", "apotheker", "apothekerin", "药师", "藥師", "药剂师"),
    "pharmacy": ("pharmacy", "pharmacie", "farmacia", "apotheke", "药房", "藥房", "药店"),
    "nurse": ("nurse", "nursing", "enfermero", "enfermera", "infirmier", "infirmiere", "pfleger", "pflegerin", "pflege", "pflegekraft", "pflegefachkraft", "fachpflegekraft", "krankenpfleger", "krankenpflegerin", "krankenschwester", "enfermeiro", "infermiere", "护士", "護士", "护理"),
    "intensive care": ("intensive care", "icu", "critical care", "intensiv", "intensivstation", "intensivpflege", "intensivmedizin", "soins intensifs", "reanimation", "cuidados intensivos", "uci", "terapia intensiva", "重症", "监护"),
    "mathematics": ("mathematics", "math", "maths", "mathematiques", "matematicas", "matematica", "mathematik", "数学"),
    "physics": ("physics", "physique", "fisica", "physik", "物理"),
    "chemistry": ("chemistry", "chimie", "quimica", "chemie", "化学"),
    "controller": ("controller", "controlling", "controleur", "controleuse", "controleur de gestion", "controleuse de gestion", "controlador", "controladora", "controller de gestion", "management accountant", "controllerin", "财务分析", "成本会计"),
    "physician": ("physician", "doctor", "medico", "medecin", "arzt", "arztin", "医生", "醫生", "医师"),
    "chef": ("chef", "cocinero", "cocinera", "cuisinier", "cuisiniere", "koch", "kochin", "cozinheiro", "cuoco", "厨师", "廚師"),
    "sous-chef": ("sous-chef", "sous chef", "second de cuisine", "segundo de cocina", "segunda de cocina", "jefe de partida", "souschef", "副厨", "副主厨"),
    "kitchen": ("kitchen", "cuisine", "cocina", "kuche", "cozinha", "cucina", "厨房"),
    "waiter": ("waiter", "waitress", "serveur", "serveuse", "camarero", "camarera", "kellner", "garcom", "cameriere", "chef de rang", "服务员"),
    "lawyer": ("lawyer", "attorney", "solicitor", "barrister", "abogado", "abogada", "avocat", "avocate", "rechtsanwalt", "rechtsanwaltin", "advogado", "avvocato", "律师", "律師"),
    "legal": ("legal", "juridico", "juridica", "juridique", "juriste", "rechts", "juridisch", "法务", "法律", "法務"),
    "counsel": ("counsel", "general counsel", "asesor juridico", "conseil juridique", "syndikus", "法律顾问", "顾问"),
    "paralegal": ("paralegal", "legal assistant", "律师助理", "法律助理"),
    "compliance": ("compliance", "cumplimiento", "conformite", "合规", "合規"),
    "accountant": ("accountant", "accounting", "contable", "contador", "contadora", "comptable", "buchhalter", "contabilista", "contabile", "会计", "會計"),
    "auditor": ("auditor", "auditeur", "prufer", "审计"),
    "finance": ("finance", "financial", "finanzas", "financiero", "financier", "finanz", "财务", "財務", "金融"),
    "pilot": ("pilot", "piloto", "pilote", "flugzeugfuhrer", "飞行员", "飛行員"),
    "first officer": ("first officer", "copilot", "co-pilot", "primer oficial", "copiloto", "officier pilote de ligne", "copilote", "erster offizier", "副驾驶", "副機長"),
    "captain": ("captain", "capitan", "commandant de bord", "kapitan", "机长", "機長"),
    "cabin crew": ("cabin crew", "flight attendant", "steward", "stewardess", "tripulante de cabina", "azafata", "auxiliar de vuelo", "hotesse de l'air", "personnel navigant commercial", "flugbegleiter", "空乘", "乘务员"),
    "logistics": ("logistics", "logistica", "logistique", "logistik", "物流"),
    "supply chain": ("supply chain", "supply-chain", "cadena de suministro", "chaine d'approvisionnement", "lieferkette", "供应链"),
    "shipping": ("shipping", "freight", "forwarding", "envios", "transporte", "expedition", "fret", "spedition", "货运", "运输", "航运"),
    "import/export": ("import", "export", "importacion", "exportacion", "importation", "exportation", "进出口"),
    "customs": ("customs", "aduanas", "douane", "zoll", "报关", "海关"),
    "warehouse": ("warehouse", "almacen", "entrepot", "lager", "armazem", "magazzino", "仓库", "倉庫"),
    "structural": ("structural", "structure", "structures", "estructural", "estructuras", "structurel", "structures", "tragwerk", "statik", "estrutural", "strutturale", "结构", "結構"),
    "civil": ("civil", "obra civil", "genie civil", "bauingenieur", "土木"),
    "site": ("site", "obra", "chantier", "baustelle", "现场", "工地"),
    "hr": ("hr", "human resources", "human resource", "people", "recursos humanos", "rrhh", "ressources humaines", "rh", "personalwesen", "人力资源", "人事", "人力資源"),
    "business partner": ("business partner", "hrbp", "socio de negocio", "partenaire d'affaires", "业务伙伴"),
    "recruiter": ("recruiter", "recruitment", "talent acquisition", "reclutador", "reclutadora", "recruteur", "recruteuse", "personalvermittler", "招聘"),
    "employee relations": ("employee relations", "industrial relations", "relaciones laborales", "relations sociales", "arbeitsbeziehungen", "员工关系", "劳动关系"),
    "product": ("product", "producto", "produit", "produkt", "产品", "產品"),
    "ux": ("ux", "user experience", "experiencia de usuario", "experience utilisateur", "用户体验"),
    "ui": ("ui", "user interface", "interfaz", "interface", "界面"),
    "researcher": ("researcher", "research", "investigador", "investigadora", "chercheur", "chercheuse", "forscher", "研究员", "研究"),
    "data": ("data", "datos", "donnees", "daten", "dados", "dati", "数据", "數據"),
    "scientist": ("scientist", "cientifico", "cientifica", "scientifique", "wissenschaftler", "科学家"),
    "backend": ("backend", "back-end", "back end", "servidor", "后端", "後端"),
    "frontend": ("frontend", "front-end", "front end", "前端"),
    "full stack": ("full stack", "full-stack", "fullstack", "全栈"),
    "devops": ("devops", "sre", "site reliability", "运维"),
    "sales": ("sales", "ventas", "vente", "ventes", "comercial", "vertrieb", "verkauf", "vendas", "vendite", "销售", "銷售"),
    "marketing": ("marketing", "mercadotecnia", "营销", "市场"),
    "customer service": ("customer service", "customer support", "atencion al cliente", "service client", "kundendienst", "kundenservice", "客服", "客户服务"),
    "teacher": ("teacher", "teaching", "profesor", "profesora", "maestro", "maestra", "enseignant", "enseignante", "professeur", "lehrer", "lehrerin", "docente", "教师", "老师", "教師"),
    "driver": ("driver", "conductor", "conductora", "chauffeur", "fahrer", "motorista", "autista", "司机", "司機"),
    "inspector": ("inspector", "inspecteur", "prufer", "检查员", "检验员"),
    "testing": ("testing", "test", "tester", "pruebas", "essais", "prufung", "测试", "检测"),
    "quantity surveyor": ("quantity surveyor", "economiste de la construction", "aparejador", "造价"),
    "estimator": ("estimator", "estimador", "metreur", "kalkulator", "预算员"),
    "draughtsman": ("draughtsman", "draftsman", "drafter", "delineante", "dessinateur", "dessinatrice", "technischer zeichner", "绘图员", "制图"),
    "project": ("project", "proyecto", "projet", "projekt", "projeto", "progetto", "项目", "項目"),
    "operations": ("operations", "operaciones", "exploitation", "betrieb", "operacoes", "运营", "營運"),
    "quality": ("quality", "calidad", "qualite", "qualitat", "qualidade", "qualita", "质量", "品質"),
    "safety": ("safety", "seguridad", "securite", "sicherheit", "安全"),
    "health": ("health", "salud", "sante", "gesundheit", "saude", "salute", "健康", "医疗"),
    "hotel": ("hotel", "hotellerie", "hosteleria", "酒店"),
    "restaurant": ("restaurant", "restaurante", "ristorante", "gaststatte", "餐厅"),
    "construction": ("construction", "construccion", "bau", "construcao", "costruzione", "建筑", "施工"),
    "translator": ("translator", "interpreter", "translation", "traductor", "traductora", "interprete", "traducteur", "traductrice", "ubersetzer", "dolmetscher", "tradutor", "traduttore", "翻译", "口译", "笔译"),
    "bim": ("bim", "modeller", "modeler", "modelador", "modeleur", "建模"),
}


def concept_index() -> dict[str, str]:
    """Folded, stemmed word or phrase -> concept id (Chinese words kept as written)."""
    from jobland_pipeline.lexicon.tokens import fold, stem

    index: dict[str, str] = {}
    for concept, words in CONCEPTS.items():
        for word in words:
            if any("\u4e00" <= ch <= "\u9fff" for ch in word):
                index.setdefault(word, concept)
                continue
            folded = fold(word)
            key = " ".join(stem(w) for w in folded.replace("-", " ").split())
            index.setdefault(key, concept)
    return index


# Concepts in the same line of work: a title word matched by a neighbour earns part of its weight
# ("Electrical Maintenance Engineer" and "Electrician", "Legal Counsel" and "律师").
FAMILIES: tuple[frozenset[str], ...] = tuple(
    frozenset(group)
    for group in (
        ("electrician", "electrical"),
        ("pharmacist", "pharmacy"),
        ("lawyer", "legal", "counsel", "paralegal"),
        ("designer", "design", "ux", "ui"),
        ("developer", "software", "backend", "frontend", "full stack", "devops"),
        ("chef", "sous-chef", "kitchen"),
        ("pilot", "first officer", "captain"),
        ("logistics", "supply chain", "shipping", "import/export", "customs", "warehouse"),
        ("hr", "business partner", "partner", "employee relations", "recruiter"),
        ("structural", "civil"),
        ("accountant", "finance", "auditor", "controller"),
        ("nurse", "health", "intensive care"),
        ("teacher", "instructor"),
        ("mathematics", "physics", "chemistry"),
        ("researcher", "scientist", "data"),
        ("sales", "marketing", "representative"),
        ("waiter", "restaurant", "hotel"),
        ("translator",),
        ("driver",),
        ("cabin crew",),
    )
)


@lru_cache(maxsize=1)
def family_of() -> dict[str, frozenset[str]]:
    """Concept -> the concepts in its line of work (itself included)."""
    return {concept: group for group in FAMILIES for concept in group}
