"""casebook: YAML case records of grassroots practice models -> a MkDocs Material site.

The pipeline is load -> validate -> model -> render -> write; only ``write`` touches disk.
"""
