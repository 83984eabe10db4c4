#!/usr/bin/env python3
"""Writes the templated and hand-written pairs that issue 12 added to
sources/fingerprint/testdata/pairs.tsv (printed to stdout; appended once,
before any rule or threshold was tuned on them).

Templated series are how outlets really repeat themselves (quake reports,
match results, market wraps, weather warnings, "X meets Y", live pages by
day, rate decisions, earnings): the 'different' pairs are two events of one
series, the 'same' pairs are one event in two outlets' words.
"""
import itertools

out = []
def same(ta, la, tb, lb): out.append(("same", ta, la, tb, lb))
def diff(ta, la, tb, lb): out.append(("different", ta, la, tb, lb))

days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# --- Earthquakes -------------------------------------------------------
quakes = [
    ("Japan", "off the coast of Fukushima", "Fukushima", "Japan Meteorological Agency", "6.1", "5.4", "1"),
    ("Turkey", "in Kahramanmaras province", "Kahramanmaras", "AFAD disaster agency", "5.6", "4.9", "2"),
    ("Indonesia", "off the island of Sulawesi", "Sulawesi", "BMKG geophysics agency", "6.4", "5.2", "3"),
    ("Chile", "near the port of Valparaiso", "Valparaiso", "National Seismological Center", "6.8", "5.9", "4"),
    ("Peru", "in the southern Arequipa region", "Arequipa", "Geophysical Institute of Peru", "7.0", "6.2", "5"),
    ("Taiwan", "off the east coast near Hualien", "Hualien", "Central Weather Administration", "6.3", "5.8", "6"),
    ("Greece", "south of the island of Crete", "Crete", "Geodynamic Institute of Athens", "5.3", "4.7", "0"),
    ("Mexico", "in the southern state of Oaxaca", "Oaxaca", "National Seismological Service", "6.6", "5.1", "1"),
    ("Philippines", "off the southern island of Mindanao", "Mindanao", "Phivolcs seismology institute", "6.9", "6.0", "2"),
    ("Iran", "in the southeastern province of Kerman", "Kerman", "Tehran University seismological centre", "5.5", "4.8", "3"),
]
for country, loc, short, agency, m1, m2, d in quakes:
    day, day2 = days[int(d)], days[(int(d) + 3) % 7]
    a = (f"Magnitude {m1} earthquake strikes {country}",
         f"An earthquake of magnitude {m1} struck {loc}, {country}, on {day}, the {agency} said. There were no immediate reports of casualties.")
    b = (f"Strong {m1} quake shakes {short}, {country}",
         f"A strong earthquake measuring {m1} shook {loc} on {day}, according to the {agency}, rattling buildings and sending residents into the streets.")
    c = (f"{country} hit by {m1}-magnitude earthquake",
         f"{country} was hit by a {m1}-magnitude earthquake {loc} on {day}, the {agency} reported, with authorities checking for damage.")
    same(*a, *b); same(*a, *c); same(*b, *c)
    diff(f"M {m1} - {loc}, {country}", f"A magnitude {m1} earthquake was recorded {loc}, {country}, at a depth of 10 km.",
         f"M {m2} - {loc}, {country}", f"A magnitude {m2} earthquake was recorded {loc}, {country}, at a depth of 35 km.")
    diff(*a, f"Magnitude {m2} earthquake strikes {country}",
         f"An earthquake of magnitude {m2} struck {loc}, {country}, on {day2}, the {agency} said. There were no immediate reports of casualties.")

# --- Football results --------------------------------------------------
matches = [
    ("Arsenal", "Chelsea", "Emirates Stadium", "Bukayo Saka", "Premier League", 2, 1, 0, 0),
    ("Liverpool", "Everton", "Anfield", "Mohamed Salah", "Premier League", 3, 0, 1, 1),
    ("Real Madrid", "Barcelona", "the Bernabeu", "Vinicius Junior", "La Liga", 2, 0, 1, 2),
    ("Bayern Munich", "Borussia Dortmund", "the Allianz Arena", "Harry Kane", "Bundesliga", 4, 1, 2, 2),
    ("Inter Milan", "AC Milan", "San Siro", "Lautaro Martinez", "Serie A", 2, 1, 1, 3),
    ("PSG", "Marseille", "the Parc des Princes", "Ousmane Dembele", "Ligue 1", 3, 1, 0, 1),
    ("Manchester City", "Manchester United", "the Etihad", "Erling Haaland", "Premier League", 3, 1, 1, 0),
    ("Celtic", "Rangers", "Celtic Park", "Kyogo Furuhashi", "Scottish Premiership", 2, 0, 2, 3),
    ("Ajax", "Feyenoord", "the Johan Cruyff Arena", "Brian Brobbey", "Eredivisie", 2, 2, 1, 3),
    ("Benfica", "Porto", "the Estadio da Luz", "Angel Di Maria", "Primeira Liga", 1, 0, 0, 2),
    ("Newcastle", "Sunderland", "St James' Park", "Alexander Isak", "FA Cup", 3, 0, 1, 1),
    ("Juventus", "Napoli", "the Allianz Stadium", "Dusan Vlahovic", "Serie A", 1, 0, 2, 2),
]
others = ["Tottenham", "Aston Villa", "West Ham", "Brighton", "Fulham", "Wolves", "Crystal Palace", "Brentford", "Bournemouth", "Leicester", "Southampton", "Ipswich"]
for i, (h, a_, stadium, scorer, comp, x, y, p, q) in enumerate(matches):
    day = days[5 + (i % 2)]
    A = (f"{h} {x}-{y} {a_}: {scorer} double seals win",
         f"{scorer} scored twice as {h} beat {a_} {x}-{y} at {stadium} on {day} in the {comp}.")
    B = (f"{h} beat {a_} {x}-{y} as {scorer} stars",
         f"{scorer} struck two goals to give {h} a {x}-{y} victory over {a_} in the {comp} on {day}.")
    C = (f"{scorer} brace helps {h} see off {a_}",
         f"{h} defeated {a_} {x}-{y} at {stadium} on {day}, with {scorer} scoring both of the decisive goals in the {comp} clash.")
    same(*A, *B); same(*A, *C); same(*B, *C)
    diff(f"{h} {x}-{y} {a_}", f"Match report as {h} face {a_} at {stadium} in the {comp}.",
         f"{a_} {p}-{q} {h}", f"Match report as {a_} host {h} in the {comp} return fixture.")
    o = others[i]
    diff(*B, f"{h} beat {o} {x}-{y} as {scorer} stars",
         f"{scorer} struck two goals to give {h} a {x}-{y} victory over {o} in the {comp} on {day}.")

# --- Market wraps ------------------------------------------------------
markets = [
    ("FTSE 100", "London", "mining", "0.8", "0.5"),
    ("Dax", "Frankfurt", "carmaker", "1.2", "0.7"),
    ("Nikkei 225", "Tokyo", "technology", "1.5", "0.9"),
    ("S&P 500", "Wall Street", "chipmaker", "0.6", "1.1"),
    ("CAC 40", "Paris", "luxury", "0.9", "0.4"),
    ("Hang Seng", "Hong Kong", "property", "2.1", "1.3"),
    ("Sensex", "Mumbai", "banking", "0.7", "0.3"),
    ("ASX 200", "Sydney", "energy", "1.0", "0.6"),
]
for i, (idx, city, sector, p1, p2) in enumerate(markets):
    day, day2 = days[i % 5], days[(i + 1) % 5]
    A = (f"{idx} closes {p1}% higher as {sector} shares rally",
         f"The {idx} index rose {p1}% on {day}, led by gains in {sector} stocks, as investors bet on lower interest rates.")
    B = (f"{city} stocks end up {p1}%, lifted by {sector} shares",
         f"Shares in {city} finished {p1}% higher on {day} with {sector} companies leading the {idx} on hopes of lower interest rates.")
    C = (f"{sector.capitalize()} rally lifts {idx} {p1}%",
         f"A rally in {sector} stocks pushed the {idx} up {p1}% by the close on {day}, as traders priced in interest rate cuts.")
    same(*A, *B); same(*A, *C); same(*B, *C)
    diff(*A, f"{idx} closes {p2}% lower as {sector} shares slide",
         f"The {idx} index fell {p2}% on {day2}, dragged down by losses in {sector} stocks, as investors scaled back bets on lower interest rates.")
    diff(f"Markets wrap: {idx} ends {day} up {p1}%", f"The {idx} closed up {p1}% on {day}. Here is how {city} markets traded.",
         f"Markets wrap: {idx} ends {day2} up {p2}%", f"The {idx} closed up {p2}% on {day2}. Here is how {city} markets traded.")

# --- Weather warnings --------------------------------------------------
cities = ["Leeds", "Bristol", "Manchester", "Glasgow", "Cardiff", "Newcastle", "Birmingham", "Edinburgh"]
for i, c in enumerate(cities):
    o = cities[(i + 1) % len(cities)]
    A = (f"Met Office issues amber warning for snow in {c}",
         f"The Met Office has issued an amber weather warning for heavy snow in {c} from Tuesday evening, with up to 15cm expected on higher ground.")
    B = (f"Amber snow warning issued for {c} as cold snap bites",
         f"Heavy snow could bring disruption to {c} from Tuesday evening after the Met Office upgraded its warning to amber, forecasting 15cm on hills.")
    same(*A, *B)
    diff(*A, f"Met Office issues amber warning for snow in {o}",
         f"The Met Office has issued an amber weather warning for heavy snow in {o} from Tuesday evening, with up to 15cm expected on higher ground.")
    diff(f"{c} weather: heatwave to peak at 31C on Sunday", f"Temperatures in {c} are forecast to reach 31C on Sunday before storms arrive.",
         f"{o} weather: heatwave to peak at 33C on Monday", f"Temperatures in {o} are forecast to reach 33C on Monday before storms arrive.")

# --- X meets Y ---------------------------------------------------------
meets = [
    ("Xi Jinping", "Xi", "Vladimir Putin", "Putin", "Moscow", "Emmanuel Macron", "Macron", "Paris"),
    ("Joe Biden", "Biden", "Xi Jinping", "Xi", "San Francisco", "Narendra Modi", "Modi", "Washington"),
    ("Narendra Modi", "Modi", "Vladimir Putin", "Putin", "Moscow", "Joe Biden", "Biden", "Washington"),
    ("Recep Tayyip Erdogan", "Erdogan", "Volodymyr Zelensky", "Zelensky", "Istanbul", "Vladimir Putin", "Putin", "Sochi"),
    ("Olaf Scholz", "Scholz", "Emmanuel Macron", "Macron", "Paris", "Giorgia Meloni", "Meloni", "Rome"),
    ("Pope Francis", "Pope", "Volodymyr Zelensky", "Zelensky", "the Vatican", "Luiz Inacio Lula da Silva", "Lula", "the Vatican"),
    ("Keir Starmer", "Starmer", "Donald Trump", "Trump", "the White House", "Ursula von der Leyen", "von der Leyen", "Brussels"),
    ("Fumio Kishida", "Kishida", "Yoon Suk Yeol", "Yoon", "Seoul", "Anthony Albanese", "Albanese", "Canberra"),
    ("Antony Blinken", "Blinken", "Benjamin Netanyahu", "Netanyahu", "Jerusalem", "Mohammed bin Salman", "bin Salman", "Riyadh"),
    ("Kim Jong Un", "Kim", "Vladimir Putin", "Putin", "Vladivostok", "Xi Jinping", "Xi", "Beijing"),
    ("Javier Milei", "Milei", "Elon Musk", "Musk", "Texas", "Giorgia Meloni", "Meloni", "Rome"),
    ("Emmanuel Macron", "Macron", "Xi Jinping", "Xi", "Beijing", "Narendra Modi", "Modi", "New Delhi"),
]
for X, x, Y, y, place, Z, z, place2 in meets:
    A = (f"{x} meets {y} in {place} for talks on trade and security",
         f"{X} met {Y} in {place} on Thursday for talks that both sides said covered trade, security and the war in Ukraine.")
    B = (f"{x} and {y} hold talks in {place}",
         f"{Y} and {X} held talks in {place} on Thursday, discussing trade ties, security and the conflict in Ukraine, officials said.")
    same(*A, *B)
    diff(*A, f"{x} meets {z} in {place2} for talks on trade and security",
         f"{X} met {Z} in {place2} on Thursday for talks that both sides said covered trade, security and the war in Ukraine.")

# --- Live pages and daily briefs by day --------------------------------
live = [
    ("Live: Israel-Gaza war updates, {d}", "Follow our live coverage of the Israel-Gaza war on {d}, with the latest from Gaza, Israel and the wider region."),
    ("Ukraine war live: latest news, {d}", "All the latest on Russia's war in Ukraine on {d}: front-line reports, diplomacy and reaction."),
    ("UK politics live: what happened on {d}", "Our live blog follows every development in Westminster on {d}, from prime minister's questions to the latest polls."),
    ("Morning briefing: what you need to know on {d}", "Good morning. Here is what you need to know on {d} about the news, business and sport."),
    ("Markets live: stocks, bonds and currencies on {d}", "Follow live coverage of global markets on {d}, from Asian trading to the Wall Street close."),
]
for t, l in live:
    for d1, d2 in [("Monday", "Tuesday"), ("Wednesday", "Thursday")]:
        diff(t.format(d=d1), l.format(d=d1), t.format(d=d2), l.format(d=d2))
for n in [1012, 1013, 1050, 1100]:
    diff(f"Russia-Ukraine war: list of key events, day {n:,}", f"Here is the situation on day {n:,} of Russia's full-scale invasion of Ukraine.",
         f"Russia-Ukraine war: list of key events, day {n+1:,}", f"Here is the situation on day {n+1:,} of Russia's full-scale invasion of Ukraine.")
    diff(f"Russia-Ukraine war at a glance: what we know on day {n:,} of the invasion", f"Key developments on day {n:,} of Russia's war on Ukraine, from the front line and diplomacy.",
         f"Russia-Ukraine war: list of key events, day {n+2:,}", f"Here is the situation on day {n+2:,} of Russia's full-scale invasion of Ukraine.")

# --- Rate decisions ----------------------------------------------------
banks = [
    ("Fed", "Federal Reserve", "US", "5.25", "5", "25"),
    ("ECB", "European Central Bank", "eurozone", "4", "3.75", "25"),
    ("Bank of England", "BoE", "UK", "5.25", "5", "25"),
    ("RBA", "Reserve Bank of Australia", "Australian", "4.35", "4.1", "25"),
    ("Bank of Canada", "BoC", "Canadian", "5", "4.75", "25"),
    ("RBI", "Reserve Bank of India", "Indian", "6.5", "6.25", "25"),
]
for short, long, adj, r, r2, bp in banks:
    H1 = (f"{short} holds rates at {r}%", f"The {long} left its key interest rate unchanged at {r}% on Thursday, saying inflation was still too high to start cutting.")
    H2 = (f"{long} keeps interest rates unchanged at {r}%", f"The {long} kept borrowing costs on hold at {r}% on Thursday, as policymakers said {adj} inflation remained too high.")
    H3 = (f"{short} leaves borrowing costs on hold", f"The {long} held its benchmark rate at {r}% on Thursday and signalled no rush to cut, citing sticky inflation.")
    C1 = (f"{short} cuts rates by {bp} basis points to {r2}%", f"The {long} lowered its key interest rate by a quarter point to {r2}% on Thursday, its first cut in four years.")
    C2 = (f"{long} lowers borrowing costs to {r2}%", f"The {long} reduced its benchmark rate by {bp} basis points to {r2}% on Thursday, the first {adj} rate cut in four years.")
    same(*H1, *H2); same(*H1, *H3); same(*H2, *H3)
    same(*C1, *C2)
    diff(*H1, *C1)
    diff(*H2, *C2)
    diff(f"{short} raises rates to {r}%", f"The {long} raised its key interest rate to {r}% on Thursday to fight inflation.",
         f"{short} cuts rates to {r2}%", f"The {long} cut its key interest rate to {r2}% on Thursday as inflation eased.")

# --- Earnings ----------------------------------------------------------
earnings = [
    ("Unilever", "quarterly", "12", "7", "sales of Dove soap and Magnum ice cream"),
    ("Siemens", "third-quarter", "9", "4", "demand for factory automation"),
    ("Toyota", "annual", "18", "6", "a weaker yen and strong hybrid sales"),
    ("Shell", "first-quarter", "14", "22", "lower gas prices"),
    ("Nestle", "half-year", "5", "3", "price increases across its brands"),
    ("Samsung", "second-quarter", "15", "8", "rising memory chip prices"),
    ("HSBC", "annual", "11", "9", "higher interest income"),
    ("Volkswagen", "quarterly", "16", "20", "weak demand in China"),
]
for co, period, p1, p2, why in earnings:
    A = (f"{co} {period} profit rises {p1}%", f"{co} said on Tuesday its {period} profit rose {p1}%, helped by {why}.")
    B = (f"{co} posts {p1}% jump in {period} earnings", f"{co} reported a {p1}% increase in {period} profit on Tuesday, citing {why}.")
    same(*A, *B)
    diff(*A, f"{co} {period} profit falls {p2}%", f"{co} said on Tuesday its {period} profit fell {p2}%, hurt by {why}.")

# --- Prices crossing marks ---------------------------------------------
same("Bitcoin tops $100,000 for the first time", "Bitcoin rose above $100,000 for the first time on Thursday, extending a rally fuelled by hopes of friendlier US regulation.",
     "Bitcoin breaks through $100,000 mark", "The world's biggest cryptocurrency crossed the $100,000 threshold for the first time on Thursday as investors bet on looser crypto rules in the US.")
diff("Bitcoin tops $100,000 for the first time", "Bitcoin rose above $100,000 for the first time on Thursday, extending a rally fuelled by hopes of friendlier US regulation.",
     "Bitcoin falls below $90,000 as rally fades", "Bitcoin slid below $90,000 on Tuesday, its lowest in weeks, as investors took profits after the cryptocurrency's record run.")
same("Gold hits record above $2,500 an ounce", "Gold prices climbed to a record above $2,500 an ounce on Friday as expectations of US rate cuts weighed on the dollar.",
     "Gold price surges past $2,500 for first time", "The price of gold rose past $2,500 per ounce for the first time on Friday, driven by bets that the Federal Reserve will soon cut rates.")
diff("Gold hits record above $2,500 an ounce", "Gold prices climbed to a record above $2,500 an ounce on Friday as expectations of US rate cuts weighed on the dollar.",
     "Gold hits record above $2,700 an ounce", "Gold prices climbed to a record above $2,700 an ounce on Wednesday as investors sought safety amid conflict in the Middle East.")
same("Oil jumps 4% after attack on Saudi facility", "Brent crude rose 4% on Monday after a drone attack on a Saudi Aramco processing plant raised fears over Gulf supplies.",
     "Brent crude surges 4% on Saudi supply fears", "Oil prices jumped 4% on Monday following a drone strike on a Saudi Aramco facility that threatened supply from the Gulf.")
diff("Oil jumps 4% after attack on Saudi facility", "Brent crude rose 4% on Monday after a drone attack on a Saudi Aramco processing plant raised fears over Gulf supplies.",
     "Oil falls 3% as Saudi output recovers", "Brent crude dropped 3% on Thursday as Saudi Aramco said production at its damaged plant had been restored.")
same("Pound falls below $1.20 for first time since March", "Sterling fell below $1.20 on Wednesday for the first time since March after weak UK growth figures.",
     "Sterling slides under $1.20 after weak growth data", "The pound dropped below $1.20 against the dollar on Wednesday, a level last seen in March, after UK growth came in weaker than expected.")
diff("Pound falls below $1.20 for first time since March", "Sterling fell below $1.20 on Wednesday for the first time since March after weak UK growth figures.",
     "Pound rises above $1.30 for first time in a year", "Sterling climbed above $1.30 on Friday for the first time in a year after strong UK wage data.")

# --- Awards and results lists ------------------------------------------
diff("Oscars 2025: the full list of nominations", "Here is the full list of nominees for the 97th Academy Awards, announced in Los Angeles on Thursday.",
     "Oscars 2025: the full list of winners", "Here is the full list of winners at the 97th Academy Awards, held in Los Angeles on Sunday.")
diff("Oscars 2024: the full list of winners", "Here is the full list of winners at the 96th Academy Awards, held in Los Angeles on Sunday.",
     "Oscars 2025: the full list of winners", "Here is the full list of winners at the 97th Academy Awards, held in Los Angeles on Sunday.")
diff("Grammys 2025: full list of nominees", "The Recording Academy announced the nominees for the 67th Grammy Awards on Friday.",
     "Grammys 2025: full list of winners", "Here are the winners of the 67th Grammy Awards, presented in Los Angeles on Sunday.")
diff("Baftas 2025: the full list of winners", "Here is the full list of winners at the 78th British Academy Film Awards in London.",
     "Baftas 2024: the full list of winners", "Here is the full list of winners at the 77th British Academy Film Awards in London.")
diff("Emmys 2024: the complete list of nominations", "The Television Academy announced the nominations for the 76th Emmy Awards on Wednesday.",
     "Emmys 2024: the complete list of winners", "Here is the complete list of winners of the 76th Emmy Awards, held in Los Angeles on Sunday.")
diff("Golden Globes 2025: full list of nominations", "The nominations for the 82nd Golden Globe Awards were announced on Monday.",
     "Golden Globes 2025: full list of winners", "Here are the winners of the 82nd Golden Globe Awards, held in Beverly Hills on Sunday.")
same("Oscars 2025: Anora wins best picture", "Sean Baker's Anora won best picture at the 97th Academy Awards in Los Angeles on Sunday, capping a remarkable awards season.",
     "Anora takes top prize at the Oscars", "Anora, Sean Baker's comedy-drama about a sex worker who marries an oligarch's son, was named best picture at the Academy Awards on Sunday.")
diff("Eurovision 2024: Switzerland's Nemo wins", "Switzerland's Nemo won the 68th Eurovision Song Contest in Malmo with The Code.",
     "Eurovision 2023: Sweden's Loreen wins", "Sweden's Loreen won the 67th Eurovision Song Contest in Liverpool with Tattoo.")

# --- Election results by seat ------------------------------------------
seats = [("Labour", "Leeds Central", "Bristol West"), ("Conservatives", "Richmond", "Harrogate"),
         ("Liberal Democrats", "Bath", "Cheltenham"), ("Reform UK", "Clacton", "Boston and Skegness"),
         ("SNP", "Dundee Central", "Aberdeen North"), ("Greens", "Brighton Pavilion", "Waveney Valley")]
for party, s1, s2 in seats:
    diff(f"Election results: {party} win {s1}", f"{party} have won the {s1} seat, with the count declared in the early hours of Friday.",
         f"Election results: {party} win {s2}", f"{party} have won the {s2} seat, with the count declared in the early hours of Friday.")
    same(f"Election results: {party} win {s1}", f"{party} have won the {s1} seat, with the count declared in the early hours of Friday.",
         f"{party} take {s1} as count is declared", f"The {s1} constituency was won by {party} when the result was declared overnight into Friday.")

# --- Same entity, different event (hand-written) -----------------------
ent = [
    ("Kim Jong Un oversees test of new cruise missile", "North Korean leader Kim Jong Un oversaw the test-firing of a new strategic cruise missile, state media KCNA reported on Sunday.",
     "Kim Jong Un inspects new naval destroyer", "Kim Jong Un inspected a newly built naval destroyer at the Nampo shipyard, KCNA said on Thursday, calling for faster warship construction."),
    ("Apple unveils iPhone 16 with AI features", "Apple introduced the iPhone 16 on Monday, built around its Apple Intelligence artificial-intelligence features.",
     "Apple fined 1.8 billion euros by EU over music streaming", "The European Commission fined Apple 1.8 billion euros on Monday for stifling competition from music streaming rivals on the App Store."),
    ("Tesla recalls 2 million cars over Autopilot", "Tesla is recalling more than 2 million vehicles in the US to fix its Autopilot driver-assistance system, regulators said.",
     "Tesla deliveries fall for the first time in four years", "Tesla reported its first annual drop in vehicle deliveries in four years on Thursday as competition from Chinese rivals intensified."),
    ("Boeing 737 Max door plug blows out mid-flight", "An Alaska Airlines Boeing 737 Max 9 made an emergency landing in Portland after a door plug blew out shortly after take-off.",
     "Boeing machinists vote to end strike", "Boeing's machinists voted to accept a new contract and end a seven-week strike that halted production of the 737 Max."),
    ("Elon Musk completes takeover of Twitter", "Elon Musk completed his $44 billion acquisition of Twitter on Thursday and fired its top executives.",
     "Elon Musk's SpaceX launches Starship on test flight", "SpaceX launched its Starship rocket from Texas on Saturday on a test flight, its most powerful rocket yet."),
    ("Taylor Swift announces Eras Tour dates in Europe", "Taylor Swift announced European dates for her Eras Tour on Tuesday, including shows in London, Paris and Madrid.",
     "Taylor Swift wins album of the year at the Grammys", "Taylor Swift won album of the year for a record fourth time at the Grammy Awards on Sunday."),
    ("Donald Trump convicted on all 34 counts in hush money trial", "A New York jury found Donald Trump guilty on all 34 felony counts of falsifying business records on Thursday.",
     "Donald Trump survives assassination attempt at Pennsylvania rally", "Donald Trump was injured in the ear when a gunman opened fire at his campaign rally in Butler, Pennsylvania, on Saturday."),
    ("Volodymyr Zelensky visits troops near Bakhmut", "Ukrainian President Volodymyr Zelensky visited front-line positions near Bakhmut on Tuesday, his office said.",
     "Volodymyr Zelensky addresses US Congress", "Ukrainian President Volodymyr Zelensky addressed a joint meeting of the US Congress on Wednesday, thanking Americans for their support."),
    ("Vladimir Putin wins fifth term as Russian president", "Vladimir Putin won a fifth term as Russia's president with a record 87% of the vote, election officials said on Monday.",
     "Vladimir Putin visits North Korea for first time in 24 years", "Vladimir Putin arrived in Pyongyang on Tuesday for his first visit to North Korea in 24 years."),
    ("Microsoft outage grounds flights worldwide", "A faulty CrowdStrike update crashed Microsoft Windows computers worldwide on Friday, grounding flights and disrupting banks.",
     "Microsoft agrees $69 billion deal for Activision Blizzard", "Microsoft agreed to buy video game maker Activision Blizzard for $69 billion on Tuesday, its biggest deal ever."),
    ("Amazon to invest $4 billion in AI start-up Anthropic", "Amazon said on Monday it would invest up to $4 billion in Anthropic, the artificial-intelligence start-up.",
     "Amazon workers strike at German warehouses", "Workers at several Amazon warehouses in Germany walked out on Monday in a dispute over pay, the Verdi union said."),
    ("Prince Harry loses bid to pay for police protection", "Prince Harry lost a High Court challenge on Tuesday over the decision to deny him automatic police protection in the UK.",
     "Prince Harry wins phone-hacking case against Mirror publisher", "Prince Harry won his phone-hacking case against the publisher of the Daily Mirror on Friday, with the judge awarding him damages."),
    ("Emmanuel Macron dissolves parliament and calls snap election", "French President Emmanuel Macron dissolved the National Assembly on Sunday and called a snap election after a heavy defeat in the European vote.",
     "Emmanuel Macron names Michel Barnier prime minister", "Emmanuel Macron appointed Michel Barnier as France's prime minister on Thursday, ending weeks of political deadlock."),
    ("Nvidia becomes world's most valuable company", "Nvidia overtook Microsoft to become the world's most valuable listed company on Tuesday, with a market value above $3.3 trillion.",
     "Nvidia faces antitrust probe in China", "China's market regulator opened an antitrust investigation into Nvidia on Monday over its acquisition of Mellanox."),
    ("Manchester City charged with 115 breaches of financial rules", "The Premier League has charged Manchester City with more than 100 breaches of its financial rules over nine seasons.",
     "Manchester City win fourth successive Premier League title", "Manchester City won a record fourth consecutive Premier League title on Sunday with victory over West Ham."),
    ("Rishi Sunak calls general election for July 4", "Rishi Sunak announced on Wednesday that the UK general election will be held on 4 July, standing in the rain outside Downing Street.",
     "Rishi Sunak apologises for leaving D-Day event early", "Rishi Sunak apologised on Friday for leaving D-Day commemorations in France early to record a television interview."),
    ("Greta Thunberg detained at protest in The Hague", "Climate activist Greta Thunberg was detained by Dutch police on Saturday while blocking a motorway in The Hague.",
     "Greta Thunberg sails to Gaza on aid flotilla", "Greta Thunberg set sail for Gaza from Sicily on Sunday aboard a boat carrying humanitarian aid."),
    ("Pope Francis admitted to hospital with bronchitis", "Pope Francis was admitted to Rome's Gemelli hospital on Friday for tests and treatment of bronchitis, the Vatican said.",
     "Pope Francis opens Holy Year at St Peter's Basilica", "Pope Francis opened the Holy Door of St Peter's Basilica on Christmas Eve to begin the Catholic Church's Jubilee year."),
    ("OpenAI launches GPT-4o", "OpenAI unveiled GPT-4o on Monday, a faster model that can talk, see and hear in real time.",
     "OpenAI board fires Sam Altman", "OpenAI's board removed chief executive Sam Altman on Friday, saying he had not been consistently candid with it."),
    ("Google loses antitrust case over search monopoly", "A US judge ruled on Monday that Google illegally maintained a monopoly in online search.",
     "Google unveils Gemini AI model", "Google introduced Gemini on Wednesday, its most capable artificial-intelligence model, to compete with OpenAI."),
    ("Netanyahu dissolves war cabinet", "Israeli Prime Minister Benjamin Netanyahu dissolved his six-member war cabinet on Monday, an Israeli official said.",
     "Netanyahu addresses joint session of US Congress", "Benjamin Netanyahu addressed a joint meeting of Congress on Wednesday, defending Israel's war in Gaza."),
    ("Novak Djokovic wins Olympic gold in Paris", "Novak Djokovic beat Carlos Alcaraz in the Olympic men's singles final in Paris on Sunday to win the only major title missing from his career.",
     "Novak Djokovic deported from Australia over vaccine status", "Novak Djokovic was deported from Australia on Sunday after losing a court challenge against the cancellation of his visa."),
    ("Meta fined record 1.2 billion euros over data transfers", "Meta was fined a record 1.2 billion euros by the Irish data regulator on Monday over transfers of Facebook users' data to the US.",
     "Meta launches Threads to rival Twitter", "Meta launched Threads on Wednesday, a text-based app that Mark Zuckerberg hopes will rival Twitter."),
    ("Thames Water fined for sewage spills", "Thames Water was fined a record amount by the regulator Ofwat on Tuesday over sewage spills and dividend payments.",
     "Thames Water secures emergency loan to avoid collapse", "Thames Water won court approval on Monday for an emergency loan that keeps it running until next year."),
    ("Hurricane Milton makes landfall in Florida", "Hurricane Milton made landfall near Siesta Key, Florida, on Wednesday night as a category 3 storm.",
     "Hurricane Helene death toll passes 200", "The death toll from Hurricane Helene rose above 200 on Monday, making it the deadliest mainland US storm since Katrina."),
    ("SpaceX Starship booster caught by launch tower", "SpaceX caught the Super Heavy booster of its Starship rocket with the arms of its launch tower on Sunday, a first.",
     "SpaceX Starship explodes minutes after launch", "SpaceX's Starship rocket exploded minutes after launching from Texas on Thursday in its first integrated test flight."),
    ("Rafael Nadal announces retirement from tennis", "Rafael Nadal said on Thursday he will retire from professional tennis after the Davis Cup finals in November.",
     "Rafael Nadal wins record 14th French Open title", "Rafael Nadal beat Casper Ruud in the final on Sunday to win his 14th French Open title."),
    ("Spain's Pedro Sanchez says he will stay on as prime minister", "Pedro Sanchez said on Monday he will remain Spain's prime minister after five days considering resignation.",
     "Pedro Sanchez wins confidence vote for new term", "Spain's Pedro Sanchez won a parliamentary vote on Thursday to serve a new term as prime minister."),
    ("Germany's coalition collapses as Scholz fires finance minister", "Olaf Scholz fired finance minister Christian Lindner on Wednesday, collapsing Germany's three-party coalition.",
     "Germany's Scholz loses confidence vote, paving way for election", "Chancellor Olaf Scholz lost a confidence vote in the Bundestag on Monday, clearing the way for an early election."),
    ("Air India flight crashes after take-off in Ahmedabad", "An Air India Boeing 787 bound for London crashed shortly after take-off from Ahmedabad on Thursday.",
     "Air India orders 470 jets from Airbus and Boeing", "Air India agreed on Tuesday to buy 470 aircraft from Airbus and Boeing, one of the largest orders in aviation history."),
    ("King Charles diagnosed with cancer", "Buckingham Palace said on Monday that King Charles has been diagnosed with a form of cancer and has begun treatment.",
     "King Charles opens parliament with King's Speech", "King Charles set out the government's plans in the King's Speech at the state opening of parliament on Wednesday."),
    ("UN Security Council passes Gaza ceasefire resolution", "The UN Security Council adopted a resolution on Monday demanding an immediate ceasefire in Gaza, after the US abstained.",
     "UN Security Council fails to agree on Sudan resolution", "Russia vetoed a UN Security Council resolution on Monday calling for a ceasefire in Sudan."),
    ("Intel to cut 15,000 jobs", "Intel said on Thursday it would cut more than 15% of its workforce, about 15,000 jobs, as it struggles to turn around.",
     "Intel chief executive Pat Gelsinger steps down", "Intel said on Monday that chief executive Pat Gelsinger had retired, effective immediately, after a turbulent tenure."),
    ("Lionel Messi wins eighth Ballon d'Or", "Lionel Messi won the Ballon d'Or for a record eighth time on Monday after leading Argentina to World Cup glory.",
     "Lionel Messi joins Inter Miami", "Lionel Messi signed for Inter Miami on Saturday, joining the Major League Soccer club on a contract until 2025."),
    ("Venezuela's Maduro declared election winner", "Venezuela's electoral authority declared Nicolas Maduro the winner of Sunday's presidential election, a result the opposition rejected.",
     "Venezuela's Maduro sworn in for third term", "Nicolas Maduro was sworn in for a third term as Venezuela's president on Friday despite international criticism."),
    ("Mount Etna erupts, closing Catania airport", "Mount Etna erupted on Sunday, spewing ash that forced the closure of Catania airport in Sicily.",
     "Mount Etna blows rare smoke rings", "Mount Etna has been blowing rare volcanic vortex rings into the sky above Sicily, volcanologists said on Friday."),
    ("Nasa's Artemis II crew named", "Nasa named the four astronauts who will fly around the Moon on Artemis II, including the first woman to make the trip.",
     "Nasa delays Artemis II Moon mission to 2026", "Nasa said on Thursday it would postpone its Artemis II crewed lunar mission to 2026 because of problems with the Orion capsule."),
    ("Starbucks names Brian Niccol chief executive", "Starbucks named Chipotle's Brian Niccol as its new chief executive on Tuesday, replacing Laxman Narasimhan.",
     "Starbucks baristas strike over staffing", "Starbucks baristas at hundreds of US stores went on strike on Friday over pay and staffing, their union said."),
    ("Canada's Trudeau announces resignation", "Justin Trudeau said on Monday he would resign as Liberal Party leader and prime minister once a successor is chosen.",
     "Canada's Trudeau survives no-confidence vote", "Justin Trudeau's minority government survived a no-confidence vote in the House of Commons on Wednesday."),
    ("South Korea's Yoon declares martial law", "South Korean President Yoon Suk Yeol declared emergency martial law on Tuesday night, accusing the opposition of anti-state activities.",
     "South Korea's Yoon impeached by parliament", "South Korea's parliament voted on Saturday to impeach President Yoon Suk Yeol over his short-lived declaration of martial law."),
]
for p in ent:
    diff(*p)

# --- One event, different outlets' words (hand-written) -----------------
pos = [
    ("Fed delivers half-point rate cut", "The Federal Reserve cut interest rates by half a percentage point on Wednesday, its first reduction since 2020.",
     "Federal Reserve cuts interest rates by half a point", "The US Federal Reserve lowered its benchmark rate by 50 basis points on Wednesday, the first cut in four years."),
    ("Notre-Dame reopens five years after fire", "Notre-Dame cathedral in Paris reopened on Saturday, five years after a fire that nearly destroyed it, with a ceremony attended by world leaders.",
     "Paris's Notre-Dame cathedral welcomes visitors again after 2019 blaze", "World leaders joined a ceremony on Saturday as Notre-Dame de Paris reopened its doors five years after the devastating fire of 2019."),
    ("Assad flees Syria as rebels take Damascus", "Syrian President Bashar al-Assad fled the country on Sunday as rebel forces entered Damascus, ending his family's decades-long rule.",
     "Syrian rebels seize Damascus, Assad regime falls", "Rebels captured the Syrian capital Damascus on Sunday and President Bashar al-Assad left the country, bringing an end to his rule."),
    ("CrowdStrike update crashes Windows computers worldwide", "A faulty software update from cybersecurity firm CrowdStrike crashed Microsoft Windows computers around the world on Friday, grounding flights.",
     "Global IT outage: airlines, banks hit after CrowdStrike glitch", "Airlines, banks and broadcasters were disrupted worldwide on Friday after a CrowdStrike update caused Windows machines to crash."),
    ("Baltimore bridge collapses after ship strike", "The Francis Scott Key Bridge in Baltimore collapsed early on Tuesday after being struck by a container ship.",
     "Container ship hits Baltimore's Key Bridge, causing collapse", "A cargo ship crashed into the Francis Scott Key Bridge in Baltimore on Tuesday, bringing down most of the span."),
    ("Japan Airlines jet bursts into flames at Haneda after collision", "A Japan Airlines plane caught fire after colliding with a coast guard aircraft on the runway at Tokyo's Haneda airport on Tuesday.",
     "JAL plane in fiery collision with coast guard aircraft in Tokyo", "All 379 people on board a Japan Airlines jet escaped after it collided with a coast guard plane at Haneda airport and burst into flames."),
    ("Alexei Navalny dies in Arctic prison", "Russian opposition leader Alexei Navalny has died in an Arctic penal colony, the prison service said on Friday.",
     "Kremlin critic Navalny dead, Russian prison service says", "Alexei Navalny, the most prominent critic of Vladimir Putin, died in prison on Friday, Russia's federal prison service said."),
    ("Scotland's First Minister Humza Yousaf resigns", "Humza Yousaf announced his resignation as Scotland's first minister on Monday after ending the SNP's power-sharing deal with the Greens.",
     "Humza Yousaf quits as first minister of Scotland", "Humza Yousaf stepped down as first minister on Monday, days after collapsing the SNP's coalition with the Scottish Greens."),
    ("India lands spacecraft near Moon's south pole", "India's Chandrayaan-3 landed near the Moon's south pole on Wednesday, making it the first country to reach the region.",
     "Chandrayaan-3 makes historic Moon landing", "India became the first nation to land near the lunar south pole on Wednesday when its Chandrayaan-3 craft touched down."),
    ("Argentina's Milei wins presidential election", "Javier Milei won Argentina's presidential run-off on Sunday, defeating economy minister Sergio Massa.",
     "Libertarian Javier Milei elected president of Argentina", "Argentines elected Javier Milei as president on Sunday, handing the libertarian outsider a clear victory over Sergio Massa."),
    ("Hamas leader Ismail Haniyeh killed in Tehran", "Hamas political leader Ismail Haniyeh was killed in an attack in Tehran on Wednesday, the group and Iran's Revolutionary Guards said.",
     "Iran says Hamas chief Haniyeh assassinated in Tehran", "Ismail Haniyeh, the head of Hamas's political bureau, was assassinated at his residence in Tehran on Wednesday, Iranian state media said."),
    ("Sweden joins Nato", "Sweden formally became Nato's 32nd member on Thursday, ending two centuries of post-war neutrality.",
     "Sweden becomes 32nd member of Nato alliance", "Sweden joined Nato on Thursday as its 32nd member after Hungary's parliament approved its accession."),
    ("Spain wins Euro 2024", "Spain beat England 2-1 in Berlin on Sunday to win a record fourth European Championship.",
     "Spain beat England to become European champions", "Mikel Oyarzabal's late goal gave Spain a 2-1 win over England in the Euro 2024 final in Berlin on Sunday."),
    ("Apple to pay 13 billion euros in Irish back taxes", "The EU's top court ruled on Tuesday that Apple must pay 13 billion euros in back taxes to Ireland.",
     "EU court orders Apple to repay 13bn euros to Ireland", "Apple lost its final appeal on Tuesday as the European Court of Justice ordered it to pay Ireland 13 billion euros in unpaid taxes."),
    ("Heavy floods kill more than 200 in Valencia", "Flash floods in Spain's Valencia region killed more than 200 people this week, authorities said on Friday.",
     "Spain floods: Valencia death toll tops 200", "The death toll from flash flooding in the Valencia region of Spain has risen above 200, officials said on Friday."),
    ("Gisele Pelicot's ex-husband jailed for 20 years", "A French court sentenced Dominique Pelicot to 20 years in prison on Thursday for drugging and raping his former wife Gisele.",
     "Dominique Pelicot sentenced to 20 years in mass rape trial", "Dominique Pelicot was given 20 years in jail on Thursday at the end of a trial that shocked France."),
    ("Keir Starmer becomes UK prime minister after Labour landslide", "Keir Starmer became prime minister on Friday after Labour won a landslide victory in the general election.",
     "Labour wins UK election by a landslide; Starmer to be PM", "Labour swept to power in a landslide general election victory, making Keir Starmer the UK's new prime minister on Friday."),
    ("Pakistan bans X for national security reasons", "Pakistan has blocked access to social media platform X, citing national security concerns, the interior ministry said.",
     "Pakistan confirms block on X, formerly Twitter", "Pakistan's interior ministry confirmed on Wednesday that it had suspended access to X over national security."),
    ("Magnitude 7.5 earthquake hits Japan's Noto peninsula", "A magnitude 7.5 earthquake struck the Noto peninsula in Ishikawa prefecture on New Year's Day, triggering tsunami warnings.",
     "Powerful 7.5 quake rocks central Japan, tsunami warning issued", "A powerful earthquake of magnitude 7.5 shook Ishikawa prefecture's Noto peninsula on Monday, prompting tsunami warnings along the coast."),
    ("Boeing chief Dave Calhoun to step down", "Boeing chief executive Dave Calhoun will step down at the end of the year amid a safety crisis, the company said on Monday.",
     "Boeing CEO Calhoun to leave amid 737 Max crisis", "Dave Calhoun will leave as Boeing's chief executive by the end of 2024, the planemaker said on Monday, as it grapples with safety problems."),
    ("Tyson Fury loses to Oleksandr Usyk", "Oleksandr Usyk beat Tyson Fury by split decision in Riyadh on Saturday to become undisputed heavyweight champion.",
     "Usyk defeats Fury to become undisputed heavyweight champion", "Ukraine's Oleksandr Usyk won a split decision over Tyson Fury in Riyadh, claiming all four heavyweight belts."),
    ("Sudan's army retakes Khartoum presidential palace", "Sudan's army said on Friday it had recaptured the presidential palace in Khartoum from the Rapid Support Forces.",
     "Sudanese army seizes presidential palace from RSF", "The Sudanese army took back the presidential palace in Khartoum on Friday, dealing a blow to the paramilitary RSF."),
    ("WHO declares mpox a global health emergency", "The World Health Organization declared the mpox outbreak in Africa a global public health emergency on Wednesday.",
     "Mpox outbreak declared international emergency by WHO", "The WHO said on Wednesday that the spread of mpox in Africa constitutes a public health emergency of international concern."),
    ("US Supreme Court overturns Roe v Wade", "The US Supreme Court overturned Roe v Wade on Friday, ending the constitutional right to abortion.",
     "Supreme Court ends constitutional right to abortion", "The Supreme Court on Friday struck down the 1973 Roe v Wade ruling that had legalised abortion nationwide."),
    ("Queen Elizabeth II dies aged 96", "Queen Elizabeth II, Britain's longest-reigning monarch, died at Balmoral on Thursday aged 96, Buckingham Palace said.",
     "Buckingham Palace announces death of the Queen", "The Queen died peacefully at Balmoral on Thursday afternoon at the age of 96, Buckingham Palace announced."),
    ("Shinzo Abe shot dead during campaign speech", "Former Japanese prime minister Shinzo Abe was shot and killed while giving a campaign speech in Nara on Friday.",
     "Japan's former PM Abe assassinated in Nara", "Shinzo Abe, Japan's longest-serving prime minister, died after being shot during an election speech in the city of Nara on Friday."),
    ("Disney names Josh D'Amaro as next chief executive", "Disney said on Tuesday that parks chief Josh D'Amaro will succeed Bob Iger as chief executive.",
     "Bob Iger successor: Disney picks parks boss D'Amaro", "Walt Disney chose Josh D'Amaro, head of its theme parks division, to replace Bob Iger as chief executive, the company said on Tuesday."),
    ("Chinese AI start-up DeepSeek wipes $600bn off Nvidia", "Nvidia lost nearly $600 billion in market value on Monday after Chinese start-up DeepSeek released a cheap rival AI model.",
     "Nvidia shares plunge 17% on DeepSeek fears", "Nvidia's shares fell 17% on Monday, erasing about $600 billion of market value, as DeepSeek's low-cost AI model rattled investors."),
    ("Israel and Hamas agree Gaza ceasefire deal", "Israel and Hamas agreed on Wednesday to a ceasefire in Gaza and the release of hostages, mediators Qatar and the US said.",
     "Gaza ceasefire and hostage deal reached, Qatar says", "Qatar's prime minister announced on Wednesday that Israel and Hamas had reached a deal for a ceasefire in Gaza and a hostage release."),
    ("Belarus frees political prisoners after US talks", "Belarus released 14 political prisoners on Saturday after a visit by a US envoy, the US State Department said.",
     "Lukashenko pardons 14 prisoners during US envoy visit", "Alexander Lukashenko freed 14 jailed people on Saturday as US envoy Keith Kellogg visited Minsk, officials said."),
]
for p in pos:
    same(*p)


# --- Strikes, transport and daily figures -------------------------------
strikes = [("London Underground", "Tube", "RMT"), ("Deutsche Bahn", "rail", "GDL"), ("SNCF", "rail", "CGT"),
           ("Finnair", "airline", "IAU"), ("Lufthansa", "airline", "Verdi")]
for op, kind, union in strikes:
    diff(f"{op} strike: what you need to know for Monday", f"Here is how the {union} walkout will affect {kind} services on Monday.",
         f"{op} strike: what you need to know for Thursday", f"Here is how the {union} walkout will affect {kind} services on Thursday.")
    same(f"{op} workers to strike next week, {union} says", f"The {union} union said on Tuesday that {op} staff will walk out for 48 hours next week in a dispute over pay.",
         f"{union} announces 48-hour {op} walkout over pay", f"{op} services will be disrupted next week after the {union} union called a two-day strike over wages on Tuesday.")
for a, b in [("12", "15"), ("21", "8")]:
    diff(f"Gaza health ministry: {a} killed in Israeli strikes overnight", f"At least {a} Palestinians were killed in Israeli air strikes across Gaza overnight, the health ministry said.",
         f"Gaza health ministry: {b} killed in Israeli strikes overnight", f"At least {b} Palestinians were killed in Israeli air strikes across Gaza overnight, the health ministry said.")
diff("UK inflation rises to 3.0% in January", "UK consumer price inflation rose to 3.0% in January from 2.5% in December, the Office for National Statistics said.",
     "UK inflation falls to 2.5% in December", "UK consumer price inflation fell to 2.5% in December from 2.6% in November, the Office for National Statistics said.")
same("UK inflation rises to 3.0% in January", "UK consumer price inflation rose to 3.0% in January from 2.5% in December, the Office for National Statistics said.",
     "UK inflation jumps to 3%, higher than expected", "Inflation in the UK climbed to 3% in January, up from 2.5% the month before and above forecasts, official figures showed.")
diff("US adds 256,000 jobs in December", "The US economy added 256,000 jobs in December and unemployment fell to 4.1%, the Labor Department said.",
     "US adds 143,000 jobs in January", "The US economy added 143,000 jobs in January and unemployment fell to 4.0%, the Labor Department said.")
same("US adds 256,000 jobs in December", "The US economy added 256,000 jobs in December and unemployment fell to 4.1%, the Labor Department said.",
     "US job growth beats forecasts with 256,000 new roles", "American employers created 256,000 jobs in December, well above expectations, while the jobless rate slipped to 4.1%, Labor Department data showed.")

# --- Round 2 (written after round 1's test-half precision of 0.969 and
# before any further tuning): more same-entity and same-topic negatives.
ent2 = [
    ("Zelensky sacks army chief Zaluzhny", "Volodymyr Zelensky dismissed Ukraine's top general Valery Zaluzhny on Thursday and named Oleksandr Syrskyi to replace him.",
     "Zelensky says Ukraine will hold no election under martial law", "Volodymyr Zelensky said on Monday that Ukraine would not hold a presidential election while martial law is in force."),
    ("Putin orders tactical nuclear weapons drills", "Vladimir Putin ordered Russian forces to hold drills on the use of tactical nuclear weapons, the defence ministry said on Monday.",
     "Putin sworn in for fifth term as Russian president", "Vladimir Putin was sworn in for a fifth term as Russia's president at a Kremlin ceremony on Tuesday."),
    ("Biden pardons son Hunter", "President Joe Biden pardoned his son Hunter on Sunday, reversing repeated promises that he would not do so.",
     "Biden drops out of presidential race", "Joe Biden ended his re-election campaign on Sunday and endorsed Vice-President Kamala Harris."),
    ("Trump names Musk to lead government efficiency drive", "Donald Trump said Elon Musk and Vivek Ramaswamy would lead a new Department of Government Efficiency.",
     "Trump imposes 25% tariffs on Canada and Mexico", "Donald Trump imposed 25% tariffs on imports from Canada and Mexico on Tuesday, starting a trade war with the neighbours."),
    ("Macron names Bayrou prime minister", "Emmanuel Macron appointed centrist ally Francois Bayrou as France's prime minister on Friday.",
     "Macron says he will serve out his term despite crisis", "Emmanuel Macron said on Thursday he would serve his full term until 2027, rejecting calls to resign."),
    ("Netanyahu fires defence minister Gallant", "Benjamin Netanyahu fired defence minister Yoav Gallant on Tuesday, citing a crisis of trust.",
     "ICC issues arrest warrant for Netanyahu", "The International Criminal Court issued arrest warrants for Benjamin Netanyahu and Yoav Gallant on Thursday."),
    ("Starmer unveils plan to cut net migration", "Keir Starmer set out plans on Monday to reduce net migration, including tougher rules for skilled worker visas.",
     "Starmer faces backlash over winter fuel payments", "Keir Starmer faced a backlash from Labour MPs on Tuesday over the decision to scrap winter fuel payments for most pensioners."),
    ("Xi Jinping calls for peaceful reunification with Taiwan", "Xi Jinping said on Tuesday that China's reunification with Taiwan was unstoppable, in his New Year address.",
     "Xi Jinping purges defence minister Li Shangfu", "China removed defence minister Li Shangfu on Tuesday after he disappeared from public view for two months."),
    ("Erdogan wins Turkish presidential run-off", "Recep Tayyip Erdogan won Turkey's presidential run-off on Sunday, extending his rule into a third decade.",
     "Erdogan's rival Imamoglu detained in Istanbul", "Turkish police detained Istanbul mayor Ekrem Imamoglu, Erdogan's main political rival, on Wednesday."),
    ("Modi sworn in for third term", "Narendra Modi was sworn in for a third term as India's prime minister on Sunday at a ceremony in New Delhi.",
     "Modi visits Ukraine weeks after Moscow trip", "Narendra Modi visited Kyiv on Friday, weeks after a trip to Moscow in which he hugged Vladimir Putin."),
    ("Meloni wins confidence vote", "Giorgia Meloni's government won a confidence vote in the Italian senate on Wednesday.",
     "Meloni meets Trump at Mar-a-Lago", "Giorgia Meloni met Donald Trump at his Mar-a-Lago estate on Saturday, the Italian government said."),
    ("Apple cuts iPhone prices in China", "Apple cut the price of its iPhone models in China on Monday as competition from Huawei intensified.",
     "Apple shares hit record high after AI announcement", "Apple shares rose to a record high on Tuesday after the company unveiled its artificial-intelligence strategy."),
    ("Microsoft to invest $80 billion in AI data centres", "Microsoft plans to spend $80 billion this year on data centres for artificial intelligence, its vice-chair said.",
     "Microsoft cuts 10,000 jobs", "Microsoft said on Wednesday it would cut 10,000 jobs, about 5% of its workforce, as demand slows."),
    ("Tesla unveils robotaxi prototype", "Tesla showed off its Cybercab robotaxi prototype at an event in Los Angeles on Thursday.",
     "Tesla shareholders approve Musk's $56 billion pay package", "Tesla shareholders voted on Thursday to approve Elon Musk's $56 billion pay package."),
    ("Amazon announces 14,000 corporate job cuts", "Amazon said on Tuesday it would cut about 14,000 corporate jobs as it invests in artificial intelligence.",
     "Amazon to buy MGM for $8.45 billion", "Amazon agreed to buy the MGM film studio for $8.45 billion on Wednesday."),
    ("Nvidia reports record quarterly revenue", "Nvidia reported record quarterly revenue of $35 billion on Wednesday, driven by demand for its AI chips.",
     "Nvidia chief Jensen Huang visits Beijing", "Nvidia chief executive Jensen Huang met Chinese officials in Beijing on Thursday amid US export controls."),
    ("Boeing names Kelly Ortberg chief executive", "Boeing named aerospace veteran Kelly Ortberg as its chief executive on Wednesday.",
     "Boeing Starliner returns to Earth without crew", "Boeing's Starliner capsule landed in New Mexico on Saturday without the two astronauts it carried to the space station."),
    ("Google fined 2.4 billion euros over shopping service", "The European Commission fined Google 2.4 billion euros on Tuesday for favouring its own shopping service.",
     "Google buys cybersecurity firm Wiz for $32 billion", "Google agreed to buy cybersecurity start-up Wiz for $32 billion on Tuesday, its largest acquisition."),
    ("Manchester United sack Erik ten Hag", "Manchester United sacked manager Erik ten Hag on Monday after a poor start to the season.",
     "Manchester United win FA Cup final", "Manchester United beat Manchester City in the FA Cup final at Wembley on Saturday."),
    ("Liverpool appoint Arne Slot as manager", "Liverpool confirmed Arne Slot as their new head coach on Monday, replacing Jurgen Klopp.",
     "Liverpool clinch Premier League title", "Liverpool won the Premier League title on Sunday with four matches to spare."),
    ("Real Madrid sign Kylian Mbappe", "Real Madrid announced the signing of Kylian Mbappe on a free transfer from Paris St-Germain on Monday.",
     "Real Madrid win Champions League final", "Real Madrid beat Borussia Dortmund at Wembley on Saturday to win the Champions League."),
    ("England sack Gareth Southgate", "Gareth Southgate left his job as England manager on Tuesday, two days after the Euro 2024 final defeat.",
     "England name Thomas Tuchel as head coach", "The Football Association appointed Thomas Tuchel as England's head coach on Wednesday."),
    ("Israel strikes Iran's air defences", "Israel carried out air strikes on military targets in Iran early on Saturday, including air defence sites.",
     "Iran launches missiles at Israel", "Iran fired about 180 ballistic missiles at Israel on Tuesday evening, the Israeli military said."),
    ("Hezbollah pagers explode across Lebanon", "Pagers used by Hezbollah members exploded across Lebanon on Tuesday, killing several people and wounding thousands.",
     "Israel and Hezbollah agree ceasefire", "Israel and Hezbollah agreed to a ceasefire on Tuesday, ending more than a year of fighting."),
    ("Russia captures Avdiivka", "Ukraine withdrew from the eastern town of Avdiivka on Saturday, handing Russia its biggest gain in months.",
     "Russia launches massive drone attack on Kyiv", "Russia attacked Kyiv with more than 100 drones overnight, Ukrainian officials said on Sunday."),
    ("Ukraine launches incursion into Russia's Kursk region", "Ukrainian troops crossed into Russia's Kursk region on Tuesday in the largest incursion of the war.",
     "Ukraine signs minerals deal with US", "Ukraine and the United States signed an agreement on Wednesday giving the US a share of Ukrainian mineral revenues."),
    ("EU agrees 50 billion euro aid package for Ukraine", "EU leaders agreed on Thursday a 50 billion euro support package for Ukraine after Hungary dropped its veto.",
     "EU opens accession talks with Ukraine", "The European Union formally opened membership negotiations with Ukraine and Moldova on Tuesday."),
    ("Nato summit opens in Washington", "Nato leaders gathered in Washington on Tuesday for a summit marking the alliance's 75th anniversary.",
     "Nato names Mark Rutte secretary-general", "Nato appointed outgoing Dutch prime minister Mark Rutte as its next secretary-general on Wednesday."),
    ("Storm Darragh leaves thousands without power", "Storm Darragh left tens of thousands of homes in Wales and England without power on Saturday.",
     "Storm Bert brings flooding to south Wales", "Storm Bert caused severe flooding in south Wales on Sunday, with rivers bursting their banks."),
    ("Heathrow shut after fire at substation", "Heathrow airport closed for the whole day on Friday after a fire at a nearby electricity substation.",
     "Heathrow third runway approved by government", "The government backed a third runway at Heathrow on Wednesday, saying it would boost growth."),
    ("Wildfires force evacuations in Los Angeles", "Wildfires driven by strong winds forced tens of thousands to evacuate in Los Angeles on Tuesday.",
     "Los Angeles awarded 2028 Olympics", "The International Olympic Committee confirmed Los Angeles as host of the 2028 Summer Olympics."),
    ("Measles outbreak spreads in Texas", "A measles outbreak in west Texas has grown to more than 100 cases, health officials said on Tuesday.",
     "Texas floods kill dozens at summer camp", "Flash floods in Texas killed dozens of people, including children at a summer camp, on Friday."),
    ("Air traffic control failure disrupts UK flights", "A technical failure in the UK air traffic control system caused widespread flight cancellations on Monday.",
     "UK flights disrupted by French air traffic strike", "Flights between the UK and Europe were cancelled on Thursday because of a strike by French air traffic controllers."),
    ("Bank of Japan raises rates for first time in 17 years", "The Bank of Japan ended eight years of negative interest rates on Tuesday, raising borrowing costs for the first time since 2007.",
     "Bank of Japan governor signals patience on further hikes", "Bank of Japan governor Kazuo Ueda said on Wednesday the central bank would take its time before raising rates again."),
    ("China unveils stimulus to revive economy", "China's central bank announced a broad stimulus package on Tuesday to support the slowing economy.",
     "China's exports rise more than expected", "China's exports grew faster than expected in September, customs data showed on Monday."),
    ("OpenAI raises $6.6 billion", "OpenAI said on Wednesday it had raised $6.6 billion in new funding at a $157 billion valuation.",
     "OpenAI sued by New York Times over copyright", "The New York Times sued OpenAI and Microsoft on Wednesday, alleging copyright infringement."),
    ("TikTok ban upheld by Supreme Court", "The US Supreme Court upheld a law on Friday that bans TikTok unless its Chinese owner sells it.",
     "TikTok goes dark for US users", "TikTok stopped working for users in the US late on Saturday, hours before a ban took effect."),
    ("Ryanair profits fall as fares drop", "Ryanair reported a fall in quarterly profit on Monday as average fares dropped.",
     "Ryanair orders 300 Boeing jets", "Ryanair agreed on Tuesday to buy up to 300 Boeing 737 Max jets in a deal worth $40 billion."),
    ("BP chief executive Bernard Looney resigns", "BP chief executive Bernard Looney resigned with immediate effect on Tuesday over past relationships with colleagues.",
     "BP scraps renewable energy targets", "BP said on Wednesday it would cut spending on renewable energy and increase oil and gas output."),
    ("HS2 northern leg scrapped", "Rishi Sunak cancelled the northern leg of the HS2 high-speed rail line to Manchester on Wednesday.",
     "HS2 costs rise to 66 billion pounds", "The estimated cost of the HS2 railway rose to as much as 66 billion pounds, the government said."),
]
for p in ent2:
    diff(*p)
pos2 = [
    ("Trump imposes 25% tariffs on Canada and Mexico", "Donald Trump imposed 25% tariffs on imports from Canada and Mexico on Tuesday, starting a trade war with the neighbours.",
     "US tariffs of 25% on Canadian and Mexican goods take effect", "Tariffs of 25% on goods from Canada and Mexico came into force on Tuesday on the orders of President Donald Trump."),
    ("Israel and Hezbollah agree ceasefire", "Israel and Hezbollah agreed to a ceasefire on Tuesday, ending more than a year of fighting.",
     "Ceasefire between Israel and Hezbollah takes effect", "A ceasefire between Israel and the Lebanese group Hezbollah came into force on Wednesday after more than a year of fighting."),
    ("Manchester United sack Erik ten Hag", "Manchester United sacked manager Erik ten Hag on Monday after a poor start to the season.",
     "Erik ten Hag sacked as Manchester United manager", "Erik ten Hag was dismissed as manager of Manchester United on Monday following a poor run of results."),
    ("England name Thomas Tuchel as head coach", "The Football Association appointed Thomas Tuchel as England's head coach on Wednesday.",
     "Thomas Tuchel appointed England manager", "Thomas Tuchel was named the new manager of the England men's team by the FA on Wednesday."),
    ("Heathrow shut after fire at substation", "Heathrow airport closed for the whole day on Friday after a fire at a nearby electricity substation.",
     "Substation fire closes Heathrow airport", "A fire at an electricity substation near Heathrow shut the airport for the whole of Friday."),
    ("TikTok goes dark for US users", "TikTok stopped working for users in the US late on Saturday, hours before a ban took effect.",
     "TikTok shuts down in the US ahead of ban", "TikTok became unavailable to American users on Saturday night, shortly before the ban took effect."),
    ("BP chief executive Bernard Looney resigns", "BP chief executive Bernard Looney resigned with immediate effect on Tuesday over past relationships with colleagues.",
     "Bernard Looney quits as BP boss", "Bernard Looney stepped down as boss of BP on Tuesday with immediate effect after failing to disclose relationships with colleagues."),
    ("Storm Darragh leaves thousands without power", "Storm Darragh left tens of thousands of homes in Wales and England without power on Saturday.",
     "Tens of thousands of homes lose power as Storm Darragh hits", "Tens of thousands of homes in England and Wales were without power on Saturday as Storm Darragh hit."),
    ("Google buys cybersecurity firm Wiz for $32 billion", "Google agreed to buy cybersecurity start-up Wiz for $32 billion on Tuesday, its largest acquisition.",
     "Alphabet agrees $32bn deal for Wiz", "Google's parent Alphabet agreed to acquire the cybersecurity company Wiz for $32 billion on Tuesday, its biggest ever deal."),
    ("Nato names Mark Rutte secretary-general", "Nato appointed outgoing Dutch prime minister Mark Rutte as its next secretary-general on Wednesday.",
     "Mark Rutte confirmed as next Nato chief", "Nato allies confirmed on Wednesday that Mark Rutte, the outgoing Dutch prime minister, will be the alliance's next secretary-general."),
]
for p in pos2:
    same(*p)

for row in out:
    for col in row:
        assert "\t" not in col and "\n" not in col, row
print("# Added for issue 12, written before any rule or threshold was tuned on them: templated series")
print("# (quake reports, match results, market wraps, weather warnings, 'X meets Y', live pages by day, rate")
print("# decisions, earnings, awards, seats) as 'different' pairs and one event in different outlets' words as")
print("# 'same'; plus hand-written same-entity-different-event negatives and rewrites. See scripts/fingerprint-pairs.py.")
for row in out:
    print("\t".join(row))
