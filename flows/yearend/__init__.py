"""The report for the Home Affairs office: what the propaganda on the emulation movements achieved in a period.

    period.py     the period asked for (a year, or any first and last day)
    facts.py      everything the report says, gathered from the store, the bulletins' manifests, the fetch log
                  and the district's configuration, as tables of plain values (no formatting)
    numbers.py    Vietnamese number and date formats (1.234,5; 31/12/2023)
    charts.py     the charts as inline SVG, drawn on the server (no JavaScript)
    page.py       the HTML page, laid out as a Vietnamese administrative report for A4
    sheets.py     the same tables as XLSX and CSV
    pdf.py        the page printed to PDF by headless Chromium
    writer.py     all of it written under the reports folder

The library operation is flows.pipeline.reporting.report; the CLI (`bantin report`), the flow
(flows/report.py) and the web app call it.
"""
