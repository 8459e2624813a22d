"""A labelled set for story clustering, written for Parley in our own words: invented
events in invented places, each told by one to five invented outlets in their own phrasing, plus the
near-misses a news forum meets every day: two different events in the same city on the same
day, and follow-up stories days later. Used by tests/stories/test_clustering.py and
bench/stories.py.

Each article: (story label, outlet, hours after the start, headline, description, text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

START = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Article:
    story: str
    outlet: str
    hours: float
    headline: str
    description: str
    text: str

    @property
    def at(self) -> datetime:
        return START + timedelta(hours=self.hours)


A = Article
ARTICLES: list[Article] = [
    # --- an earthquake in Kessarin (4 outlets) ----------------------------------------------
    A(
        "quake",
        "Northern Wire",
        10,
        "Magnitude 6.4 earthquake strikes Kessarin, dozens killed",
        "Rescue teams search collapsed apartment blocks in the coastal city.",
        "A magnitude 6.4 earthquake struck the coastal city of Kessarin before dawn, killing at "
        "least 41 people and trapping many more under collapsed apartment blocks. The quake's "
        "epicentre lay twelve kilometres offshore at a shallow depth, the seismology institute "
        "said. Hospitals in Kessarin asked for blood donors as the injured arrived.",
    ),
    A(
        "quake",
        "The Capital Ledger",
        11,
        "Kessarin earthquake: at least 41 dead as rescuers dig through rubble",
        "A shallow offshore quake flattened apartment blocks in the old town.",
        "Rescuers were digging by hand through the rubble of apartment blocks in Kessarin after "
        "a shallow 6.4 magnitude earthquake with an offshore epicentre. The death toll stood at "
        "41 by midday. Overwhelmed hospitals appealed for blood donors and the army sent tents.",
    ),
    A(
        "quake",
        "Harbour Times",
        12.5,
        "Quake of 6.4 magnitude shakes Kessarin coast",
        "Apartment blocks collapsed; hospitals overwhelmed; army sends rescue teams.",
        "The earthquake, measured at magnitude 6.4, brought down apartment blocks across "
        "Kessarin. At least 41 people died. The army dispatched rescue teams with sniffer dogs, "
        "and hospitals treating the injured asked residents to donate blood.",
    ),
    A(
        "quake",
        "Atlas Agency",
        14,
        "Death toll from Kessarin earthquake rises to 57",
        "Rescuers pulled survivors from collapsed blocks after the magnitude 6.4 quake.",
        "The number of people killed by the magnitude 6.4 earthquake in Kessarin rose to 57, "
        "with rescuers still pulling survivors from collapsed apartment blocks. The offshore "
        "quake was felt along the coast; hospitals said they were running short of blood.",
    ),
    # Same city, same day, a different event (2 outlets).
    A(
        "kessarin-fire",
        "Meridian Post",
        20,
        "Chemical warehouse fire in Kessarin port sends toxic smoke over suburbs",
        "Residents told to keep windows shut as firefighters battle the blaze.",
        "A fire broke out at a warehouse storing fertiliser and solvents in Kessarin's port "
        "district, sending a plume of toxic smoke over the eastern suburbs. Firefighters "
        "battled the blaze for six hours. Residents were told to keep windows shut.",
    ),
    A(
        "kessarin-fire",
        "Northern Wire",
        21,
        "Toxic plume from Kessarin port warehouse blaze",
        "Solvents and fertiliser burned for hours in the port district.",
        "Firefighters in Kessarin fought a blaze at a port warehouse holding solvents and "
        "fertiliser for six hours as a toxic plume drifted over the eastern suburbs, where "
        "residents were advised to keep their windows shut. The cause of the fire is unknown.",
    ),
    # Follow-up two days later (2 outlets): the reconstruction fund, a story of its own.
    A(
        "quake-fund",
        "The Capital Ledger",
        60,
        "Government pledges reconstruction fund and building-code inquiry after Kessarin quake",
        "Prime minister promises new homes within two years and an inquiry into builders.",
        "The prime minister announced a reconstruction fund of 2 billion crowns for Kessarin and "
        "ordered an inquiry into builders who ignored seismic building codes. Families made "
        "homeless will get temporary housing, and new homes are promised within two years.",
    ),
    A(
        "quake-fund",
        "Atlas Agency",
        63,
        "Kessarin to get 2 billion crowns for rebuilding; builders face inquiry",
        "The cabinet approved temporary housing and an investigation into seismic code breaches.",
        "The cabinet approved 2 billion crowns to rebuild Kessarin and opened an inquiry into "
        "construction firms suspected of breaching seismic building codes. Temporary housing "
        "for homeless families will be ready before winter, the housing minister said.",
    ),
    # --- Norland's central bank raises rates (3 outlets) ------------------------------------
    A(
        "rates",
        "Global Desk",
        30,
        "Norland central bank raises interest rate to 6% to fight inflation",
        "The half-point rise is the third this year.",
        "The central bank of Norland raised its main interest rate by half a point to 6%, its "
        "third increase this year, saying inflation of 9.2% was eroding wages. Governor Hanne "
        "Sollid said further rises could not be ruled out.",
    ),
    A(
        "rates",
        "Continental Herald",
        31,
        "Norland lifts benchmark rate by 50 basis points",
        "Governor Sollid says inflation at 9.2% demands action.",
        "Norland's central bank lifted its benchmark rate 50 basis points to 6 per cent. "
        "Governor Hanne Sollid told reporters that inflation running at 9.2% left the bank no "
        "choice, and did not rule out more increases.",
    ),
    A(
        "rates",
        "Harbour Times",
        33,
        "Mortgage holders brace as Norland rate hits 6%",
        "Third rate rise of the year as the central bank battles 9.2% inflation.",
        "Homeowners with variable mortgages face higher payments after Norland's central bank "
        "raised its rate to 6% in its third rise this year. Governor Hanne Sollid blamed "
        "inflation of 9.2% and said more increases were possible.",
    ),
    # Same country, same day: the budget (2 outlets).
    A(
        "budget",
        "Meridian Post",
        32,
        "Norland finance ministry unveils budget with defence boost and fuel subsidy cut",
        "Finance minister Arvid Lunde presents next year's spending plans.",
        "Finance minister Arvid Lunde presented next year's budget, raising defence spending by "
        "a fifth and ending the fuel subsidy introduced during the energy crisis. Opposition "
        "parties said pensioners would pay for the cuts.",
    ),
    A(
        "budget",
        "Global Desk",
        34,
        "Lunde budget: defence up a fifth, fuel subsidy scrapped",
        "Opposition says pensioners will bear the burden.",
        "Norland's budget for next year scraps the fuel subsidy and lifts defence spending by "
        "a fifth, finance minister Arvid Lunde announced in parliament. The opposition accused "
        "him of balancing the books on pensioners.",
    ),
    # --- two cargo ships collide in the Strait of Helm (3 outlets) --------------------------
    A(
        "collision",
        "Atlas Agency",
        40,
        "Cargo ships collide in Strait of Helm, oil slick spreads",
        "Coastguard rescues 23 crew; a tanker lane is closed.",
        "Two cargo ships collided in fog in the Strait of Helm, leaking fuel oil into the sea. "
        "The coastguard rescued all 23 crew members of the bulk carrier Oriel Star. The "
        "shipping lane was closed while a slick about four kilometres long spread south.",
    ),
    A(
        "collision",
        "Northern Wire",
        41.5,
        "Oriel Star and container vessel collide in fog; fuel slick four km long",
        "All crew rescued; shipping lane shut.",
        "The bulk carrier Oriel Star and a container vessel collided in thick fog in the "
        "Strait of Helm. Coastguard helicopters lifted 23 crew to safety. Fuel oil from a torn "
        "tank formed a slick four kilometres long and the shipping lane was shut.",
    ),
    A(
        "collision",
        "Continental Herald",
        45,
        "Oil spill threatens Helm beaches after ship collision",
        "Environmental groups warn of harm to seabird colonies.",
        "Fuel oil leaking from the Oriel Star after its collision with a container ship in the "
        "Strait of Helm is drifting towards beaches and seabird colonies, environmental groups "
        "warned. The coastguard said the 23 crew were rescued and the lane stays closed.",
    ),
    # --- Valdoria's presidential runoff (5 outlets) -------------------------------------------
    A(
        "runoff",
        "Global Desk",
        80,
        "Opposition candidate Mirela Stancu wins Valdoria presidential runoff",
        "Stancu took 54% against incumbent Dorin Vaida.",
        "Mirela Stancu, the opposition candidate, won Valdoria's presidential runoff with 54% "
        "of the vote, defeating incumbent Dorin Vaida. Turnout was 67%. Stancu promised to "
        "fight corruption and to seek closer ties with the bloc.",
    ),
    A(
        "runoff",
        "The Capital Ledger",
        81,
        "Stancu defeats Vaida to become Valdoria's first woman president",
        "Incumbent concedes after runoff.",
        "Dorin Vaida conceded defeat after Mirela Stancu "
        "won the runoff with 54 per cent, making her Valdoria's first woman president. "
        "Turnout reached 67%. She pledged an anti-corruption drive.",
    ),
    A(
        "runoff",
        "Meridian Post",
        82,
        "Valdoria runoff: Stancu wins 54%, Vaida concedes",
        "Anti-corruption campaigner takes the presidency.",
        "Valdoria's runoff gave the presidency to anti-corruption campaigner Mirela Stancu with "
        "54% of votes. Incumbent Dorin Vaida conceded on television. Election officials put "
        "turnout at 67%.",
    ),
    A(
        "runoff",
        "Atlas Agency",
        83,
        "VALDORIA ELECTION: STANCU WINS PRESIDENCY",
        "Stancu beats Vaida in the runoff; turnout 67%.",
        "Opposition leader Mirela Stancu won Valdoria's presidential runoff against Dorin Vaida "
        "with 54% of the vote on 67% turnout, the electoral commission said.",
    ),
    A(
        "runoff",
        "Harbour Times",
        86,
        "What Stancu's victory means for Valdoria",
        "The new president inherits a fragile economy and a corruption scandal.",
        "Mirela Stancu's runoff victory over Dorin Vaida, by 54% to 46%, hands her a fragile "
        "economy and a corruption scandal at the state energy company. Her promise to fight "
        "corruption won over young voters in Valdoria's cities.",
    ),
    # --- Tarvonia buys fighter jets (3 outlets) -----------------------------------------------
    A(
        "jets",
        "Continental Herald",
        100,
        "Tarvonia signs deal for 24 Falke fighter jets",
        "The contract with Aerion Systems is the largest in the country's history.",
        "Tarvonia's defence ministry signed a contract with Aerion Systems for 24 Falke fighter "
        "jets worth 4.1 billion euros, the largest arms purchase in its history. Deliveries "
        "begin in 2029, with pilots trained abroad.",
    ),
    A(
        "jets",
        "Northern Wire",
        101,
        "Aerion wins 4.1bn euro Tarvonia order for Falke jets",
        "Twenty-four aircraft to be delivered from 2029.",
        "Aerion Systems will supply 24 Falke fighter jets to Tarvonia under a 4.1 billion euro "
        "contract signed by the defence ministry. The first aircraft arrive in 2029; Tarvonian "
        "pilots will train abroad until then.",
    ),
    A(
        "jets",
        "Global Desk",
        103,
        "Tarvonia's record arms deal: two dozen Falke fighters",
        "The 4.1 billion euro order replaces ageing interceptors.",
        "Tarvonia is buying two dozen Falke fighters from Aerion Systems for 4.1 billion euros "
        "to replace its ageing interceptors, its biggest arms deal ever. Deliveries of the jets "
        "start in 2029.",
    ),
    # Same country, same day: conscription (2 outlets).
    A(
        "conscription",
        "Meridian Post",
        102,
        "Tarvonia extends conscription to twelve months",
        "Defence ministry says the army needs more trained reservists.",
        "Tarvonia's defence ministry will extend compulsory military service from nine to "
        "twelve months from next spring, saying the army needs more trained reservists. "
        "Student groups announced protests.",
    ),
    A(
        "conscription",
        "Harbour Times",
        104,
        "Students protest as Tarvonia lengthens military service",
        "Service rises from nine to twelve months next spring.",
        "Student unions called protests after Tarvonia said compulsory military service would "
        "rise from nine to twelve months next spring. The defence ministry said more reservists "
        "had to be trained.",
    ),
    # --- Zarivka: drone strike on a power station (4 outlets) ------------------------------
    A(
        "zarivka-power",
        "Atlas Agency",
        120,
        "Drone strike on Zarivka power station cuts electricity to 200,000 homes",
        "Repair crews say restoring supply will take days.",
        "A drone strike set fire to the main transformer at Zarivka's thermal power station, "
        "cutting electricity to about 200,000 homes. The regional governor said repair crews "
        "would need several days to restore supply. No casualties were reported at the plant.",
    ),
    A(
        "zarivka-power",
        "Northern Wire",
        121,
        "Zarivka blackout after drones hit thermal power plant",
        "Transformer ablaze; 200,000 households without power.",
        "Drones hit the thermal power plant in Zarivka overnight, setting its main transformer "
        "ablaze and leaving some 200,000 households without electricity. The governor said it "
        "would take days to restore power.",
    ),
    A(
        "zarivka-power",
        "Continental Herald",
        122,
        "Zarivka in the dark: power plant struck",
        "The attack on the thermal station left 200,000 homes without electricity.",
        "About 200,000 homes in Zarivka lost electricity after a drone attack on the city's "
        "thermal power station damaged its main transformer. Hospitals switched to generators "
        "while repair crews worked.",
    ),
    A(
        "zarivka-power",
        "The Capital Ledger",
        124,
        "Hospitals on generators as Zarivka power station burns",
        "Drone attack knocks out the thermal plant's transformer.",
        "Hospitals in Zarivka ran on generators after drones struck the thermal power station "
        "and set the main transformer on fire. Around 200,000 homes were without electricity; "
        "the governor warned repairs would take days.",
    ),
    # Same city, same day: shelling of a market (3 outlets).
    A(
        "zarivka-market",
        "Harbour Times",
        126,
        "Shelling of Zarivka market kills seven",
        "Artillery hit the covered market at midday.",
        "Artillery shells hit Zarivka's covered market at midday, killing seven shoppers and "
        "wounding nineteen. Stallholders described shrapnel tearing through the fruit stalls. "
        "The governor declared a day of mourning.",
    ),
    A(
        "zarivka-market",
        "Meridian Post",
        127,
        "Seven killed as shells strike crowded Zarivka market",
        "Nineteen wounded; day of mourning declared.",
        "Seven people were killed and nineteen wounded when shells struck the crowded covered "
        "market in Zarivka at lunchtime. The governor declared a day of mourning.",
    ),
    A(
        "zarivka-market",
        "Global Desk",
        128,
        "Zarivka mourns market shelling victims",
        "Shrapnel tore through stalls of the covered market.",
        "Zarivka declared a day of mourning for the seven shoppers killed when artillery shells "
        "struck the covered market. Nineteen people were wounded by shrapnel at the stalls.",
    ),
    # Follow-up four days later: power restored (2 outlets).
    A(
        "zarivka-restored",
        "Atlas Agency",
        220,
        "Power restored to most of Zarivka after repairs",
        "Engineers installed a replacement transformer.",
        "Engineers installed a replacement transformer at Zarivka's thermal power station, "
        "restoring electricity to most of the 200,000 homes that lost it in the drone strike. "
        "A few districts remain on rotating cuts.",
    ),
    A(
        "zarivka-restored",
        "Northern Wire",
        223,
        "Zarivka lights back on as new transformer installed",
        "Rotating cuts continue in some districts.",
        "Most homes in Zarivka have electricity again after a new transformer was installed at "
        "the power station hit by drones. Some districts still face rotating cuts.",
    ),
    # --- ceasefire talks in Geneva (3 outlets) -----------------------------------------------
    A(
        "talks",
        "Continental Herald",
        150,
        "Ceasefire talks on Ostrava corridor open in Geneva",
        "Delegations meet under UN mediation for the first time in a year.",
        "Delegations from both sides of the Ostrava corridor conflict met in Geneva under UN "
        "mediation, their first direct talks in a year. Envoy Lucía Ferrández said prisoner "
        "exchanges and a ceasefire along the corridor were on the agenda.",
    ),
    A(
        "talks",
        "Global Desk",
        151,
        "UN envoy Ferrandez brings Ostrava corridor foes to Geneva table",
        "First direct talks in a year; prisoners and a truce on the agenda.",
        "UN envoy Lucia Ferrandez opened talks in Geneva between the warring sides of the "
        "Ostrava corridor, the first face-to-face meeting in a year, with a truce and prisoner "
        "exchanges on the agenda.",
    ),
    A(
        "talks",
        "The Capital Ledger",
        153,
        "Geneva talks: cautious hopes for Ostrava corridor truce",
        "Mediator Ferrández seeks a prisoner swap first.",
        "Mediator Lucía Ferrández hopes a prisoner swap can open the way to a ceasefire in the "
        "Ostrava corridor, as the UN-hosted talks in Geneva entered their first day.",
    ),
    # --- wildfire in the Serrano hills (2 outlets) -------------------------------------------
    A(
        "wildfire",
        "Harbour Times",
        170,
        "Wildfire forces 5,000 to flee Serrano hills villages",
        "Strong winds push flames towards the valley.",
        "A wildfire driven by strong winds forced about 5,000 people to leave villages in the "
        "Serrano hills. Water-bombing aircraft worked until dark as flames moved towards the "
        "valley.",
    ),
    A(
        "wildfire",
        "Atlas Agency",
        171,
        "Serrano hills blaze: 5,000 evacuated as winds fan flames",
        "Aircraft drop water on the fire front.",
        "Around 5,000 villagers in the Serrano hills were evacuated as winds fanned a wildfire "
        "towards the valley. Aircraft dropped water on the fire front until nightfall.",
    ),
    # --- the Aurelia-3 satellite launch (3 outlets) ------------------------------------------
    A(
        "launch",
        "Northern Wire",
        190,
        "Aurelia-3 weather satellite launched from Kourane spaceport",
        "The satellite will improve storm forecasts.",
        "The Aurelia-3 weather satellite lifted off from the Kourane spaceport on a Vektor "
        "rocket and reached its planned orbit. The space agency said its instruments would "
        "sharpen forecasts of storms and floods.",
    ),
    A(
        "launch",
        "Global Desk",
        191,
        "Vektor rocket puts Aurelia-3 into orbit",
        "Agency hails a flawless launch.",
        "A Vektor rocket carried the Aurelia-3 weather "
        "satellite into orbit from Kourane in what the space agency called a flawless launch. "
        "Aurelia-3 will improve storm and flood forecasting.",
    ),
    A(
        "launch",
        "Continental Herald",
        193,
        "Storm forecasting gets a boost as Aurelia-3 reaches orbit",
        "Launch from Kourane went to plan.",
        "Meteorologists welcomed the launch of Aurelia-3, which reached orbit on a Vektor rocket "
        "from Kourane. Its sensors are meant to give earlier warning of storms and floods.",
    ),
    # Follow-up two and a half days later: the solar panels (2 outlets).
    A(
        "launch-fault",
        "Northern Wire",
        250,
        "Aurelia-3 fails to unfold solar panel, mission at risk",
        "Engineers try to free a jammed hinge.",
        "One of Aurelia-3's two solar panels has failed to unfold, putting the weather "
        "satellite's mission at risk. Engineers at mission control are trying to free a jammed "
        "hinge by rotating the spacecraft.",
    ),
    A(
        "launch-fault",
        "The Capital Ledger",
        252,
        "Jammed hinge leaves Aurelia-3 short of power",
        "Space agency says it may lose some instruments.",
        "A jammed hinge has stopped a solar panel on Aurelia-3 from unfolding, leaving the new "
        "satellite short of power. The space agency said some instruments may have to stay "
        "switched off.",
    ),
    # --- a journalist detained (2 outlets; diacritics spelled two ways) ---------------------
    A(
        "detained",
        "Meridian Post",
        200,
        "Journalist Łukasz Wójcik detained at Brena border crossing",
        "Press groups demand his release.",
        "Border guards detained the freelance journalist "
        "Łukasz Wójcik at the Brena crossing and seized his cameras and notebooks. Press "
        "freedom groups demanded his immediate release.",
    ),
    A(
        "detained",
        "Harbour Times",
        202,
        "Press groups call for release of reporter Lukasz Wojcik",
        "Cameras and notebooks seized at Brena crossing.",
        "Freelance reporter Lukasz Wojcik was held by border guards at the Brena crossing, who "
        "confiscated his cameras and notebooks. Press freedom organisations called for his "
        "release.",
    ),
    # --- steel tariffs (3 outlets) ---------------------------------------------------------
    A(
        "tariffs",
        "Continental Herald",
        210,
        "Trade bloc imposes 25% tariffs on imported steel",
        "Producers welcome protection; car makers warn of higher costs.",
        "The trade bloc will impose tariffs of 25% on steel imports from next month to protect "
        "its mills from a flood of cheap metal. Car makers warned that their costs would rise.",
    ),
    A(
        "tariffs",
        "Global Desk",
        211,
        "Steel imports face 25 per cent levy from next month",
        "Mills cheer, car industry grumbles.",
        "Imported steel will carry a 25 per cent levy "
        "from next month under a decision by the trade bloc, a relief for mills hurt by cheap "
        "metal and a worry for car makers facing higher costs.",
    ),
    A(
        "tariffs",
        "Atlas Agency",
        213,
        "Bloc approves steel tariffs to shield mills",
        "A 25% duty on imports takes effect next month.",
        "Ministers of the trade bloc approved a 25% duty on imported steel to shield mills from "
        "cheap metal. Car makers said the tariffs would raise their costs.",
    ),
    # --- floods in Zürich canton (2 outlets; diacritics) -----------------------------------
    A(
        "floods",
        "Northern Wire",
        260,
        "Floods in Zürich canton after two days of rain",
        "The Sihl burst its banks; cellars and underpasses flooded.",
        "The river Sihl burst its banks after two days of heavy rain, flooding cellars, "
        "underpasses and a tram depot in Zürich canton. Firefighters pumped water through the "
        "night.",
    ),
    A(
        "floods",
        "Continental Herald",
        262,
        "ZURICH: SIHL BURSTS ITS BANKS",
        "Tram depot and cellars under water after heavy rain.",
        "Heavy rain for two days made the Sihl burst its banks in Zurich canton, flooding a "
        "tram depot, cellars and underpasses; firefighters pumped through the night.",
    ),
    # --- stories told by one outlet only --------------------------------------------------
    A(
        "museum",
        "Meridian Post",
        15,
        "Kessarin museum reopens after ten-year restoration",
        "The maritime collection returns to the old customs house.",
        "Kessarin's maritime museum reopened in the restored customs house after ten years, "
        "showing ship models, charts and the figurehead of a wrecked schooner.",
    ),
    A(
        "chess",
        "Harbour Times",
        35,
        "Norland teenager wins world junior chess title",
        "Seventeen-year-old Eirik Dahl won the final round with black.",
        "Eirik Dahl, seventeen, became Norland's first world junior chess champion after "
        "winning the final round with the black pieces in a long endgame.",
    ),
    A(
        "strike",
        "Atlas Agency",
        44,
        "Helm dockworkers strike over pay",
        "Container terminals at Helm port stand idle.",
        "Dockworkers at Helm port walked out over pay, leaving container terminals idle. Their "
        "union wants a 12% rise; the port authority offers 5%.",
    ),
    A(
        "vaida-trial",
        "Continental Herald",
        84,
        "Valdoria energy company chief charged with fraud",
        "Prosecutors say contracts were inflated for years.",
        "Prosecutors in Valdoria charged the head of the state energy company with fraud, "
        "saying contracts with suppliers had been inflated for years.",
    ),
    A(
        "airshow",
        "Global Desk",
        105,
        "Tarvonia air show draws record crowd",
        "Aerobatic teams from six countries flew.",
        "A record crowd watched aerobatic teams from six countries at Tarvonia's annual air "
        "show, where a vintage biplane display closed the day.",
    ),
    A(
        "grain",
        "The Capital Ledger",
        130,
        "Grain ships resume sailing from southern ports",
        "Insurers cut war-risk premiums.",
        "Grain ships resumed sailing from the southern ports after insurers cut their war-risk "
        "premiums, traders said, easing fears of shortages.",
    ),
    A(
        "vaccine",
        "Harbour Times",
        155,
        "Measles vaccination drive after outbreak in three regions",
        "Health ministry offers free jabs to children.",
        "The health ministry launched a measles vaccination drive after an outbreak in three "
        "regions, offering free jabs to every child under ten.",
    ),
    A(
        "football",
        "Northern Wire",
        175,
        "Serrano Athletic reach cup final for first time",
        "A late header beat the holders.",
        "Serrano Athletic reached the national cup final for the first time in their history, "
        "beating the holders with a header in the last minute of extra time.",
    ),
    A(
        "rail",
        "Meridian Post",
        205,
        "High-speed rail line to Brena opens",
        "Journey time halves to ninety minutes.",
        "The new high-speed line to Brena opened, "
        "halving the journey from the capital to ninety minutes.",
    ),
    A(
        "telescope",
        "Continental Herald",
        255,
        "Kourane observatory spots new comet",
        "Amateur astronomers may see it in January.",
        "Astronomers at the Kourane observatory discovered a new comet that may be visible "
        "to amateur telescopes in January.",
    ),
]


def label_pairs(articles: list[Article]) -> set[tuple[int, int]]:
    """Pairs of article indexes that report the same story."""
    return {
        (i, j)
        for i, a in enumerate(articles)
        for j in range(i + 1, len(articles))
        if a.story == articles[j].story
    }


def precision_recall(predicted: dict[int, int], articles: list[Article]) -> tuple[float, float]:
    """Pairwise precision and recall of a grouping (article index -> group)."""
    truth = label_pairs(articles)
    found = {
        (i, j)
        for i in range(len(articles))
        for j in range(i + 1, len(articles))
        if predicted[i] == predicted[j]
    }
    hits = len(truth & found)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall
