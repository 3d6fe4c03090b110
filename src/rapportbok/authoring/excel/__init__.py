"""Excel in, Excel out: the year's tables as a workbook to fill in (`export`), and a filled-in workbook
back into the CSV files after the same validation as `check` (`import_`). CSV in data/ stays the record;
`check` and `build` never read a workbook."""
