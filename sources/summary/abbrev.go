package summary

// Abbreviation and sentence-opener lists used by Sentences. Words are
// lower-case, without the final full stop; internal dots are kept ("e.g",
// "z.b", "т.е").

// isNonFinalAbbrev reports abbreviations that (almost) never end a sentence:
// titles before names and Latin/German/Russian connectives.
func isNonFinalAbbrev(w string) bool {
	switch w {
	// English titles and ranks.
	case "mr", "mrs", "ms", "mx", "dr", "prof", "st", "sen", "rep", "gov", "gen",
		"col", "lt", "sgt", "capt", "cmdr", "adm", "maj", "brig", "cpl", "pvt",
		"rev", "hon", "pres", "supt", "insp", "det", "amb", "atty", "messrs",
		// English connectives.
		"e.g", "i.e", "vs", "cf", "approx", "viz", "incl", "esp",
		// German.
		"bzw", "vgl", "z.b", "d.h", "u.a", "ca", "inkl", "ggf", "evtl", "bspw",
		"sog", "hr", "dipl", "str",
		// French.
		"mm", "p.ex", "av", "env", "mgr",
		// Spanish.
		"sra", "srta", "sres", "dra", "ud", "uds", "lic", "dña", "avda",
		// Russian.
		"т.е", "т.к", "т.н", "т.ч", "напр", "им", "ул", "пр", "пер", "проф", "акад", "гг", "вв", "см", "ср":
		return true
	}
	return false
}

// isNumberAbbrev reports abbreviations that never end a sentence when a
// number follows ("No. 5", "pp. 12", "Nr. 3", "art. 5", "№").
func isNumberAbbrev(w string) bool {
	switch w {
	case "no", "nos", "nr", "p", "pp", "vol", "art", "fig", "ch", "sec", "para",
		"op", "ed", "núm", "n", "pág", "стр", "ст", "п", "рис":
		return true
	}
	return false
}

// isMaybeFinalAbbrev reports abbreviations that often end a sentence too:
// company suffixes, "etc.", months, times of day, "и т.д.".
func isMaybeFinalAbbrev(w string) bool {
	switch w {
	case "inc", "corp", "ltd", "co", "plc", "llc", "bros", "al", "assn", "dept", "univ",
		"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
		"tue", "tues", "thu", "thur", "thurs", "fri", "jr", "sr", "fr", "mt", "ft",
		"bzgl", "mio", "mrd", "tsd", "jh", "jhd",
		"cie", "mme", "mlle",
		"cía",
		"г", "др", "млн", "млрд", "тыс", "руб", "долл", "ок", "гл":
		return true
	}
	return false
}

// isUsuallyFinalAbbrev reports abbreviations that end a list and nearly
// always the sentence: before a capitalised word they end it.
func isUsuallyFinalAbbrev(w string) bool {
	switch w {
	case "etc", "usw", "u.ä", "т.д", "т.п", "и.т.д", "ecc", "etc.":
		return true
	}
	return false
}

// isGermanMonth reports a German month name, which after a day number
// ("am 3. Mai") keeps the sentence going.
func isGermanMonth(w string) bool {
	switch w {
	case "Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli",
		"August", "September", "Oktober", "November", "Dezember":
		return true
	}
	return false
}

// isSentenceOpener reports common sentence-initial words (lower-cased) in
// English, German, French, Spanish and Russian. After an ambiguous
// abbreviation or an initial, only these start a new sentence.
func isSentenceOpener(w string) bool {
	switch w {
	// English.
	case "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "but", "and",
		"or", "so", "in", "on", "at", "as", "after", "before", "when", "while", "if",
		"this", "that", "these", "those", "there", "his", "her", "its", "their", "our",
		"my", "however", "meanwhile", "also", "yet", "some", "many", "most", "both",
		"all", "what", "why", "how", "who", "where", "then", "now", "still", "for",
		"by", "with", "from", "during", "since", "although", "though", "because",
		"earlier", "later", "last", "according", "officials", "shares",
		// German.
		"der", "die", "das", "ein", "eine", "er", "es", "wir", "ich", "aber", "und",
		"doch", "im", "am", "auf", "nach", "mit", "dies", "diese", "dieser", "dabei",
		"damit", "laut", "zudem", "auch", "als", "wie", "wenn", "dann", "nun", "denn",
		// French.
		"le", "la", "les", "un", "une", "il", "elle", "ils", "elles", "nous", "mais",
		"et", "en", "dans", "pour", "ce", "cette", "ces", "selon", "alors",
		// Spanish.
		"el", "los", "las", "una", "él", "ella", "pero", "y", "para", "según", "este",
		"esta", "estos", "esto",
		// Russian.
		"он", "она", "оно", "они", "мы", "я", "но", "и", "в", "на", "по", "это",
		"этот", "эта", "однако", "также", "при", "после", "президент":
		return true
	}
	return false
}
