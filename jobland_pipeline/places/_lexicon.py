"""Hand-made word lists that decide when a token that *could* be a place name is one.

GeoNames has towns called "Of", "Best", "Nice", "Split", "Reading", "Sale" and "Hope": without
these lists every CV would be full of them. The build script also uses them (with an English
word list) to mark which place names are ordinary words ("risky" names, see ``_match``).
"""

from __future__ import annotations

from typing import Final


def _words(text: str) -> frozenset[str]:
    """A set of words written as a whitespace-separated block (easier to read and edit)."""
    return frozenset(text.split())


# Function words of the supported languages (en, fr, es, de, it, pt, nl), folded.
# A place name equal to one of them is "risky"; they also end a place name on its right
# ("in Nice and ...", "à Nice pour ...") without making the place look like a longer phrase.
FUNCTION_WORDS: Final[frozenset[str]] = _words(
    """
    a about above across after again against all also am an and any are around as at be because
    been before being below between both but by can could did do does during each either every few
    for from further had has have having he her here hers him his how i if in into is it its just
    last may me might more most much must my near neither next no nor not now of off on once only
    or other our out outside over own per same she should since so some such than that the their
    them then there these they this those through to too under until up upon us very via was we
    were what when where which while who whom why will with within without would yet you your le
    la les un une des du de d l au aux et ou ni mais donc car en dans sur sous par pour avec sans
    chez entre vers depuis pendant avant apres ce cet cette ces son sa ses leur leurs mon ma mes
    ton ta tes nous vous ils elles il elle on qui que quoi dont est sont etait ete pres loin el
    los las unos unas del al y o e u ni pero sino con sin por para desde hasta hacia sobre entre
    durante segun su sus mi mis tu tus es son fue ser estar esta este esto estos estas cerca der
    die das den dem des ein eine einer eines einem einen und oder aber mit ohne fur bei nach aus
    von vom zum zur im am um uber unter ist sind war bis seit gegen il lo gli di da della delle
    degli dei nel nella nei con su per tra fra che non o os as um uma do da dos das no na nos nas
    em ao aos com sem pelo pela sao het een van voor met zonder naar bij uit op te om door tot en
    of niet
    """
)

# Words that label a location field without naming a place ("Remote", "Hybrid", "Nationwide").
# Never matched on their own, whatever GeoNames says (there are towns called Remote and Hybrid).
LOCATION_NOISE: Final[frozenset[str]] = _words(
    """
    remote remotely hybrid onsite office offices home homeworking homebased wfh telework
    teleworking nationwide national international global multiple various several location
    locations site sites based field travel travelling traveling client clients customer hq
    headquarters campus central centre center city town village area areas region regional zone
    district metro metropolitan greater north south east west northern southern eastern western
    midlands upper lower mid downtown uptown suburbs suburb province state county country
    countries only flexible any distance full part time permanent contract temporary role job
    position team company remoto remota hibrido hibrida presencial teletrabajo oficina oficinas
    sede ciudad centro norte sur este oeste provincia pais teletravail distanciel presentiel
    hybride bureau bureaux siege ville centre nord ouest est homeoffice buro standort stadt
    zentrum nord sud ost mobil remoto ibrido ufficio sede citta centro remoto hibrido escritorio
    cidade kantoor thuiswerken
    """
)

# Words before a name that make it look like a place: "based in Reading", "moved to Bath".
LOCATION_PREPOSITIONS: Final[frozenset[str]] = _words(
    """
    in at near from around outside within to across between of a au aux en dans pres depuis vers
    en desde cerca hacia in bei nach aus nahe a in presso vicino em no na perto in bij nabij
    """
)

# Capitalised words that may sit just before a place without making it part of another
# proper noun ("Central London", "Greater Manchester"); any other capitalised word does
# ("Washington Post", "Michael Jackson", "Blue Ridge State University").
PRE_QUALIFIERS: Final[frozenset[str]] = _words(
    """
    greater central downtown inner outer north south east west northern southern eastern western
    metro metropolitan near remote hybrid onsite
    """
)

# The same, just after a place ("Paris Area", "Leeds Office", "Washington State", "London, UK").
POST_QUALIFIERS: Final[frozenset[str]] = _words(
    """
    area region metro metropolitan office offices hq headquarters campus based city centre center
    county province state district suburbs remote hybrid onsite uk usa us
    """
)

# Words that only orient ("North West", "South-East"): GeoNames has areas named so (in South
# Africa, Botswana...), but a job ad saying "North West" means the north-west of its country.
DIRECTIONS: Final[frozenset[str]] = _words(
    """
    north south east west northern southern eastern western central centre center middle mid
    upper lower
    """
)

# Articles: "the Victoria data lake" is a product, "the Mobile app" an app, not places.
ARTICLES: Final[frozenset[str]] = _words("the a an le la les un une el los las il lo gli der die das het een")

# US state codes are GeoNames' own admin1 codes; Canadian and Australian ones are mapped here.
CA_PROVINCES: Final[dict[str, str]] = {
    "AB": "01",
    "BC": "02",
    "MB": "03",
    "NB": "04",
    "NL": "05",
    "NS": "07",
    "ON": "08",
    "PE": "09",
    "PEI": "09",
    "QC": "10",
    "SK": "11",
    "YT": "12",
    "NT": "13",
    "NWT": "13",
    "NU": "14",
}
AU_STATES: Final[dict[str, str]] = {
    "ACT": "01",
    "NSW": "02",
    "NT": "03",
    "QLD": "04",
    "SA": "05",
    "TAS": "06",
    "VIC": "07",
    "WA": "08",
}

# Upper-case short forms that name a country anywhere in a text (country code value).
COUNTRY_SHORT_FORMS: Final[dict[str, str]] = {
    "UK": "GB",
    "GB": "GB",
    "USA": "US",
    "US": "US",
    "EEUU": "US",
    "UAE": "AE",
    "EAU": "AE",
    "KSA": "SA",
    "PRC": "CN",
    "NZ": "NZ",
    "HK": "HK",
    "RSA": "ZA",
}

# Of those, the ones also recognised in lower case inside a location field ("london, uk").
LOWERCASE_SHORT_FORMS: Final[frozenset[str]] = frozenset({"uk", "usa", "uae", "ksa"})

__all__ = [
    "ARTICLES",
    "AU_STATES",
    "CA_PROVINCES",
    "COUNTRY_SHORT_FORMS",
    "DIRECTIONS",
    "FUNCTION_WORDS",
    "LOCATION_NOISE",
    "LOCATION_PREPOSITIONS",
    "LOWERCASE_SHORT_FORMS",
    "POST_QUALIFIERS",
    "PRE_QUALIFIERS",
]
