"""Small export files for the report and command tests, with the figures they must give.

A ServiceNow event log of four incidents (one reopened after an on-hold, one
starting Active, one without a priority and still open) plus malformed rows,
and the three HP SM exports of two incidents, three interactions and three
changes plus a malformed row each. The expected figures are worked out by hand
in the comments.
"""

from __future__ import annotations

import lzma
from pathlib import Path

SERVICENOW_HEADER = (
    "number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,"
    "opened_at,sys_updated_at,priority,assignment_group,resolved_at,closed_at"
)
#: INC1: New 09:00, Active 09:30 (response in 30 min of 30: met), Resolved 13:00 (4 h of 8).
#: INC2: on hold ten minutes after logging (a move the default lifecycle refuses), worked
#:   the next day, resolved, reopened, resolved again two days after logging: 48 h on the
#:   clock, 22 h running (of 16: breached); reopened once, reassigned once, made_sla false.
#: INC3: starts Active (a start violation; the response clock never starts), resolved an
#:   hour later; reassigned twice.
#: INC4: no priority (no SLA target applies: excluded from the SLA figures), still open.
#: INC5: only a row with the state -100 (left out); INC4 has a row with a bad time.
SERVICENOW_ROWS = [
    "INC1,New,true,0,0,0,true,2/3/2016 09:00,2/3/2016 09:00,2 - High,Group 1,?,?",
    "INC1,Active,true,0,0,1,true,2/3/2016 09:00,2/3/2016 09:30,2 - High,Group 1,?,?",
    "INC1,Resolved,true,0,0,2,true,2/3/2016 09:00,2/3/2016 13:00,2 - High,Group 1,2/3/2016 13:00,?",
    "INC1,Closed,false,0,0,3,true,2/3/2016 09:00,5/3/2016 13:00,2 - High,Group 1,"
    "2/3/2016 13:00,5/3/2016 13:00",
    "INC2,New,true,0,0,0,true,2/3/2016 10:00,2/3/2016 10:00,3 - Moderate,Group 1,?,?",
    "INC2,Awaiting User Info,true,0,0,1,true,2/3/2016 10:00,2/3/2016 10:10,3 - Moderate,"
    "Group 1,?,?",
    "INC2,Active,true,1,0,2,true,2/3/2016 10:00,3/3/2016 10:10,3 - Moderate,Group 1,?,?",
    "INC2,Resolved,true,1,0,3,false,2/3/2016 10:00,3/3/2016 12:00,3 - Moderate,Group 1,?,?",
    "INC2,Active,true,1,1,4,false,2/3/2016 10:00,3/3/2016 14:00,3 - Moderate,Group 1,?,?",
    "INC2,Resolved,true,1,1,5,false,2/3/2016 10:00,4/3/2016 10:00,3 - Moderate,Group 1,"
    "4/3/2016 10:00,?",
    "INC2,Closed,false,1,1,6,false,2/3/2016 10:00,7/3/2016 10:00,3 - Moderate,Group 1,"
    "4/3/2016 10:00,7/3/2016 10:00",
    "INC3,Active,true,2,0,0,true,5/3/2016 08:00,5/3/2016 08:00,4 - Low,Group 2,?,?",
    "INC3,Resolved,true,2,0,1,true,5/3/2016 08:00,5/3/2016 09:00,4 - Low,Group 2,5/3/2016 09:00,?",
    "INC3,Closed,false,2,0,2,true,5/3/2016 08:00,8/3/2016 09:00,4 - Low,Group 2,"
    "5/3/2016 09:00,8/3/2016 09:00",
    "INC4,New,true,0,0,0,true,6/3/2016 09:00,6/3/2016 09:00,?,Group 2,?,?",
    "INC4,Active,true,0,0,1,true,6/3/2016 09:00,6/3/2016 10:00,?,Group 2,?,?",
    "INC4,Active,true,0,0,2,true,6/3/2016 09:00,6/3/2016 xx,?,Group 2,?,?",
    "INC5,-100,true,0,0,0,true,6/3/2016 09:00,6/3/2016 09:00,3 - Moderate,Group 2,?,?",
]

HPSM_INCIDENTS = [
    "Incident ID;Priority;Category;Open Time;Resolved Time;Close Time;Reopen Time;"
    "# Reassignments;Related Interaction;Related Change",
    # IM1: 2 h to resolve (of 40 at priority 4: met), never reassigned.
    "IM1;4;incident;05/02/2012 13:00:00;05/02/2012 15:00:00;06/02/2012 13:00:00;;0;SD1;C1",
    # IM2: resolved before it opened: left out.
    "IM2;2;incident;06/02/2012 09:00:00;06/02/2012 08:00:00;;;1;SD2;",
    # IM3: reopened, 24 h to resolve (of 16 at priority 3: breached), reassigned twice.
    "IM3;3;incident;07/02/2012 10:00:00;08/02/2012 10:00:00;08/02/2012 12:00:00;"
    "07/02/2012 20:00:00;2;#MULTIVALUE;",
]
HPSM_INTERACTIONS = [
    "Interaction ID;Priority;Category;Open Time (First Touch);Close Time;First Call Resolution;"
    "Related Incident",
    "SD1;4;incident;5-2-2012 12:50;5-2-2012 12:55;N;IM1",
    "SD3;3;incident;7-2-2012 9:00;7-2-2012 9:05;Y;",
    "SD4;4;incident;7-2-2012 9:30;7-2-2012 9:40;Y;",
    "SD5;4;incident;7-2-2012 9:30;7-2-2012 9:40;maybe;",
]
HPSM_CHANGES = [
    "Change ID;CI Name (aff);Emergency Change;CAB-approval needed;Risk Assessment;"
    "Planned Start;Planned End;Actual Start;Actual End;Change record Open Time;"
    "Change record Close Time",
    # C1: two affected items, ended an hour before its planned end: on plan.
    "C1;SUB1;N;Y;Minor Change;9-2-2012 9:00;10-2-2012 12:00;10-2-2012 9:00;10-2-2012 11:00;"
    "1-2-2012 9:00;10-2-2012 12:00",
    "C1;SUB2;N;Y;Minor Change;9-2-2012 9:00;10-2-2012 12:00;10-2-2012 9:00;10-2-2012 11:00;"
    "1-2-2012 9:00;10-2-2012 12:00",
    # C2: an emergency change that ended an hour late.
    "C2;SUB3;Y;N;Minor Change;11-2-2012 9:00;11-2-2012 12:00;11-2-2012 10:00;11-2-2012 13:00;"
    "2-2-2012 9:00;11-2-2012 14:00",
    # C3: closed without being implemented: canceled, so neither judged nor counted.
    "C3;SUB4;N;N;Business Change;4-2-2012 9:00;4-2-2012 10:00;;;3-2-2012 9:00;5-2-2012 9:00",
    # C5: no planned end: the change practice refuses it (a change's plan needs a window).
    "C5;SUB6;N;N;Minor Change;4-2-2012 9:00;;;;3-2-2012 9:00;5-2-2012 9:00",
    # no open time: left out
    "C4;SUB5;N;N;Minor Change;;;;;;",
]


def servicenow_log(folder: Path, *, compress: bool = False) -> Path:
    """The ServiceNow log, as ``.csv`` or ``.csv.xz``."""
    text = "\n".join([SERVICENOW_HEADER, *SERVICENOW_ROWS]) + "\n"
    if compress:
        path = folder / "incidents.csv.xz"
        path.write_bytes(lzma.compress(text.encode()))
    else:
        path = folder / "incidents.csv"
        path.write_text(text)
    return path


def hpsm_exports(folder: Path) -> list[Path]:
    """The incident, interaction and change exports, in that order."""
    paths = []
    for name, lines in (
        ("Detail_Incident.csv", HPSM_INCIDENTS),
        ("Detail_Interaction.csv", HPSM_INTERACTIONS),
        ("Detail_Change.csv", HPSM_CHANGES),
    ):
        path = folder / name
        path.write_text("\r\n".join(lines) + "\r\n")
        paths.append(path)
    return paths
