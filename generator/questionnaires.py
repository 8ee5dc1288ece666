"""The built-in questionnaires, declared as a person declares their own under `metrics:` in journal.yaml.

Data only: config.py reads these declarations with the same reader as journal.yaml's, so a built-in
questionnaire and one of a person's own are the same kind of thing. Scoring, bands, cut-offs and
reliable-change thresholds are those published with each instrument; all four are free to use.
"""

from __future__ import annotations

from typing import Any

NHS = "the NHS Talking Therapies definitions"

BUILT_IN: dict[str, dict[str, Any]] = {
    # Kroenke, Spitzer and Williams (2001); reliable change and caseness as NHS Talking Therapies reports them.
    "phq9": {
        "label": "PHQ-9",
        "better": "lower",
        "items": 9,
        "answers": [0, 3],
        "bands": [
            [0, 4, "minimal"],
            [5, 9, "mild"],
            [10, 14, "moderate"],
            [15, 19, "moderately severe"],
            [20, 27, "severe"],
        ],
        "cutoff": 10,
        "reliable_change": 6,
        "risk_item": 9,
        "risk_words": "you have had thoughts that you would be better off dead, or of hurting yourself",
        "source": NHS,
    },
    # Spitzer, Kroenke, Williams and Löwe (2006).
    "gad7": {
        "label": "GAD-7",
        "better": "lower",
        "items": 7,
        "answers": [0, 3],
        "bands": [[0, 4, "minimal"], [5, 9, "mild"], [10, 14, "moderate"], [15, 21, "severe"]],
        "cutoff": 8,
        "reliable_change": 4,
        "source": NHS,
    },
    # The WHO-5 Well-Being Index (WHO 1998); scoring, cut-offs and the 10-point change from Topp and others'
    # systematic review (Psychotherapy and Psychosomatics, 2015). The raw score (0–25) times 4 gives 0–100.
    "who5": {
        "label": "WHO-5",
        "better": "higher",
        "items": 5,
        "answers": [0, 5],
        "scale": 4,
        "bands": [[0, 28, "likely depression"], [29, 50, "poor wellbeing"]],
        "cutoff": 50,
        "reliable_change": 10,
        "source": "the WHO-5 review by Topp and others, 2015",
        "prompt": "Over the last two weeks, how much of the time…",
        "answer_names": [
            "at no time",
            "some of the time",
            "less than half of the time",
            "more than half of the time",
            "most of the time",
            "all of the time",
        ],
        "questions": [
            "I have felt cheerful and in good spirits",
            "I have felt calm and relaxed",
            "I have felt active and vigorous",
            "I woke up feeling fresh and rested",
            "My daily life has been filled with things that interest me",
        ],
    },
    # The PCL-5 (Weathers and others, 2013, US National Center for PTSD), for the DSM-5's twenty symptoms of PTSD.
    "pcl5": {
        "label": "PCL-5",
        "better": "lower",
        "items": 20,
        "answers": [0, 4],
        "bands": [[0, 32, "below the cut-off"], [33, 80, "probable PTSD"]],
        "cutoff": 33,
        "reliable_change": 10,
        "source": "the US National Center for PTSD",
        "prompt": "In the past month, how much were you bothered by…",
        "answer_names": ["not at all", "a little bit", "moderately", "quite a bit", "extremely"],
        "questions": [
            "Repeated, disturbing, and unwanted memories of the stressful experience?",
            "Repeated, disturbing dreams of the stressful experience?",
            "Suddenly feeling or acting as if the stressful experience were actually happening again "
            "(as if you were actually back there reliving it)?",
            "Feeling very upset when something reminded you of the stressful experience?",
            "Having strong physical reactions when something reminded you of the stressful experience "
            "(for example, heart pounding, trouble breathing, sweating)?",
            "Avoiding memories, thoughts, or feelings related to the stressful experience?",
            "Avoiding external reminders of the stressful experience (for example, people, places, conversations, "
            "activities, objects, or situations)?",
            "Trouble remembering important parts of the stressful experience?",
            "Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts "
            "such as: I am bad, there is something seriously wrong with me, no one can be trusted, "
            "the world is completely dangerous)?",
            "Blaming yourself or someone else for the stressful experience or what happened after it?",
            "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
            "Loss of interest in activities that you used to enjoy?",
            "Feeling distant or cut off from other people?",
            "Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving "
            "feelings for people close to you)?",
            "Irritable behavior, angry outbursts, or acting aggressively?",
            "Taking too many risks or doing things that could cause you harm?",
            'Being "superalert" or watchful or on guard?',
            "Feeling jumpy or easily startled?",
            "Having difficulty concentrating?",
            "Trouble falling or staying asleep?",
        ],
    },
}
